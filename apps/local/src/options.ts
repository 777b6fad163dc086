import { parseArgs } from 'node:util';
import { type LogFormat, parseLogFormat } from './log';
// A light module of its own: the options are parsed before the heavy modules load.
import { DEFAULT_EVENT_DELIVERY_DELAY_MS } from '@orderflow/local-aws/delivery-delay';
import { DEFAULT_MAX_CONCURRENT_EXECUTIONS } from './workflow/checkout-workflow';

/** `npm start [-- options]`: flags win over environment variables. */
export const USAGE = `Usage: npm start [-- options]

  --port <n>          HTTP port (env PORT; default 3000; 0 picks a free port)
  --host <address>    interface to listen on (env HOST; default 127.0.0.1)
  --in-memory         keep no data: DynamoDB Local in memory (a throwaway run)
  --data-dir <dir>    where data is kept across restarts (env ORDERFLOW_DATA_DIR; default .data)
  --fresh-synth       synthesize the CDK app even if its sources did not change
  --function-logs     show every log line of the handlers, which then log at INFO (default: warnings and errors)
  --log-format <f>    text or json (env LOG_FORMAT; default text)
  --schedule-scale <n> multiplies the periods of scheduled rules (env LOCAL_SCHEDULE_SCALE; default 1)
  --max-executions <n> checkout executions run at once, the rest wait in order (env LOCAL_MAX_EXECUTIONS;
                      default 16; 0: no bound)
  --event-delay <ms>  how long after PutEvents the bus delivers an event, like EventBridge's latency
                      (env LOCAL_EVENT_DELAY_MS; default 100); an execution's events wait for its answer
  -h, --help          this text`;

export interface CliOptions {
  help: boolean;
  port: number;
  host: string;
  inMemory: boolean;
  dataDir: string | undefined;
  freshSynth: boolean;
  showFunctionLogs: boolean;
  logFormat: LogFormat;
  scheduleScale: number;
  maxConcurrentExecutions: number;
  eventDeliveryDelayMs: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliOptions(argv: string[], env: Record<string, string | undefined>): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'in-memory': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        'fresh-synth': { type: 'boolean', default: false },
        'function-logs': { type: 'boolean', default: false },
        'log-format': { type: 'string' },
        'schedule-scale': { type: 'string' },
        'max-executions': { type: 'string' },
        'event-delay': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const portText = values.port ?? env['PORT'] ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText.trim()) || port > 65_535) throw new UsageError(`the port must be a number from 0 to 65535, not "${portText}"`);
  let logFormat: LogFormat;
  try {
    logFormat = parseLogFormat(values['log-format'] ?? env['LOG_FORMAT']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const scaleText = values['schedule-scale'] ?? env['LOCAL_SCHEDULE_SCALE'] ?? '1';
  const scheduleScale = Number(scaleText);
  if (!Number.isFinite(scheduleScale) || scheduleScale <= 0) throw new UsageError(`the schedule scale must be a number above 0, not "${scaleText}"`);
  const boundText = (values['max-executions'] ?? env['LOCAL_MAX_EXECUTIONS'] ?? String(DEFAULT_MAX_CONCURRENT_EXECUTIONS)).trim();
  if (!/^\d+$/.test(boundText)) throw new UsageError(`the execution bound must be a whole number (0: no bound), not "${boundText}"`);
  const delayText = (values['event-delay'] ?? env['LOCAL_EVENT_DELAY_MS'] ?? String(DEFAULT_EVENT_DELIVERY_DELAY_MS)).trim();
  if (!/^\d+$/.test(delayText)) throw new UsageError(`the event delay must be a whole number of milliseconds, not "${delayText}"`);
  const dataDir = values['data-dir'] ?? env['ORDERFLOW_DATA_DIR'];
  if (values['in-memory'] && values['data-dir'] !== undefined) throw new UsageError('--in-memory and --data-dir exclude each other');
  return {
    help: values.help,
    port,
    host: values.host ?? env['HOST'] ?? '127.0.0.1',
    inMemory: values['in-memory'],
    dataDir: dataDir === '' ? undefined : dataDir,
    freshSynth: values['fresh-synth'],
    showFunctionLogs: values['function-logs'],
    logFormat,
    scheduleScale,
    maxConcurrentExecutions: Number(boundText),
    eventDeliveryDelayMs: Number(delayText),
  };
}
