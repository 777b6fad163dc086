import { parseArgs } from 'node:util';
import { parseDuration, type Scenario, scenarioByName } from './scenarios';

export const USAGE = `Usage: npm run load -- --scenario checkout|reads [options]

Runs a load scenario (the same as load-tests/k6/<scenario>.js) with autocannon and prints the
same summary as k6's handleSummary. Without --base-url it starts the local stack itself
(npm start --in-memory on a free port) and seeds the load products.

  --scenario <name>        checkout or reads (required)
  --base-url <url>         target (default: a local stack started for the run)
  --tokens-file <file>     the customers' credentials, a JSON array of {customerId, token}
                           (npm run load-users -w @orderflow/load-tests for a deployed pool);
                           default: tokens of a local stack's development issuer
  --stages                 the scenario's ramping stages, as k6 runs them (the default)
  --connections <n[,n..]>  constant concurrent clients instead of stages; a list runs each level in turn
  --duration <time>        length of each --connections level (default 20s)
  --warmup <time>          load before measuring, at 10 clients (default 5s; 0 for none)
  --ceiling                after each level, replay the scenario's DynamoDB calls straight
                           against the stack's DynamoDB Local at the same concurrency (local stack)
  --account                account for single requests: state transitions, Lambda invocations,
                           DynamoDB calls, time per state; for checkout also the AWS cost model
  --profile <file>         CPU profile of the stack during the last level (.cpuprofile; stack started here)
  --json <file>            write the results as JSON
  -h, --help               this text`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  scenario: Scenario;
  baseUrl: string | undefined;
  connections: number[] | undefined;
  durationSeconds: number;
  warmupSeconds: number;
  ceiling: boolean;
  account: boolean;
  profile: string | undefined;
  json: string | undefined;
  tokensFile: string | undefined;
}

export function parseCliOptions(argv: string[]): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        'base-url': { type: 'string' },
        stages: { type: 'boolean', default: false },
        connections: { type: 'string' },
        duration: { type: 'string', default: '20s' },
        warmup: { type: 'string', default: '5s' },
        ceiling: { type: 'boolean', default: false },
        account: { type: 'boolean', default: false },
        profile: { type: 'string' },
        json: { type: 'string' },
        'tokens-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.scenario) throw new UsageError('--scenario is required: checkout or reads');
  let scenario: Scenario;
  try {
    scenario = scenarioByName(values.scenario);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.stages && values.connections) throw new UsageError('--stages and --connections exclude each other');
  const connections = values.connections?.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 2000) throw new UsageError(`--connections takes whole numbers from 1 to 2000, not "${part}"`);
    return n;
  });
  const seconds = (flag: string, text: string) => {
    if (text === '0') return 0;
    try {
      return parseDuration(text);
    } catch (error) {
      throw new UsageError(`--${flag}: ${(error as Error).message}`);
    }
  };
  const baseUrl = values['base-url']?.replace(/\/+$/, '');
  if (baseUrl !== undefined) {
    try {
      new URL(baseUrl);
    } catch {
      throw new UsageError(`--base-url ${baseUrl} is not a URL`);
    }
    if (values.profile) throw new UsageError('--profile needs the stack this command starts (no --base-url)');
  }
  return {
    scenario,
    baseUrl,
    connections,
    durationSeconds: seconds('duration', values.duration),
    warmupSeconds: seconds('warmup', values.warmup),
    ceiling: values.ceiling,
    account: values.account,
    profile: values.profile,
    json: values.json,
    tokensFile: values['tokens-file'],
  };
}
