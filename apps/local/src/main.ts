// `npm start`: the whole order service on one machine (see README.md, "Run it locally").
// Only light modules here: the CDK synth (a child process) starts before the heavy ones load.
import { createLocalLog } from './log';
import { announceRunningStack, withdrawRunningStack } from '@orderflow/workspace';
import { parseCliOptions, USAGE, UsageError } from './options';
import type { LocalStack } from './stack';
import { synthesizeTemplate } from './synth';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
// The handlers load Powertools Tracer (and with it aws-xray-sdk-core) only in Lambda. Should
// anything load the X-Ray SDK here anyway, manual mode keeps it from installing its cls-hooked
// async_hooks destroy hook on every promise of this process (a quarter of its CPU, measured).
process.env['AWS_XRAY_MANUAL_MODE'] ??= 'true';

async function main(): Promise<number> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Times count from the process start (performance.now()'s origin): module loading included.
  const log = createLocalLog({ format: options.logFormat, startedAt: 0 });
  const synth = { startedAt: performance.now(), outcome: synthesizeTemplate({ fresh: options.freshSynth }) };
  synth.outcome.catch(() => undefined); // reported by the synth step
  let stack: LocalStack | undefined;
  let signalled: string | undefined;
  let onSignal: () => void = () => undefined;
  const signal = new Promise<void>((resolve) => (onSignal = resolve));
  let signalledAt = 0;
  const stop = (name: string) => {
    if (signalled) {
      // Ctrl-C reaches us twice at once (from the terminal, and relayed by npm): only a
      // second press, later, means "don't wait" (DynamoDB Local is killed by its exit hook).
      if (Date.now() - signalledAt < 1000) return;
      log.warn(`${name} again: exiting now`);
      process.exit(130);
    }
    signalled = name;
    signalledAt = Date.now();
    log.info(`${name}: stopping${stack ? '' : ' once started'} (Ctrl-C again to force)`);
    onSignal();
  };
  // Whoever started us (npm, a shell, a test) died without passing on a signal: stop too,
  // so DynamoDB Local and the servers never outlive their owner.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent) stop('parent process gone');
  }, 1000);
  orphanWatch.unref();
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));

  const { startLocalStack } = await import('./stack');
  const loaded = performance.now();
  log.step('load', `modules loaded (${Math.round(loaded)}ms)`, { durationMs: Math.round(loaded) });
  try {
    stack = await startLocalStack({
      synth,
      port: options.port,
      host: options.host,
      inMemory: options.inMemory,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      freshSynth: options.freshSynth,
      showFunctionLogs: options.showFunctionLogs,
      scheduleScale: options.scheduleScale,
      maxConcurrentExecutions: options.maxConcurrentExecutions,
      eventDeliveryDelayMs: options.eventDeliveryDelayMs,
      log,
      startedAt: 0,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'JavaNotFoundError') {
      log.error(error.message);
      return 1;
    }
    // Our own errors explain themselves; anything else is a bug: show where.
    const unexpected = !(error instanceof Error) || ['Error', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'].includes(error.name);
    log.error(`could not start: ${error instanceof Error ? (unexpected ? (error.stack ?? error.message) : `${error.name}: ${error.message}`) : String(error)}`);
    return 1;
  }
  if (!signalled) {
    announceRunningStack({
      url: stack.url,
      pid: process.pid,
      dataDir: stack.dynamodb.dataDir ?? null,
      dynamodb: { endpoint: stack.dynamodb.endpoint, tableName: stack.dynamodb.tableName },
      startedAt: new Date().toISOString(),
    });
    log.step('ready', `in ${(stack.readyInMs / 1000).toFixed(2)}s · the shop at ${stack.url}/shop/ · executions and the workflow graph at ${stack.url}/_local/`);
    log.plain(`orderflow ready on ${stack.url}`, { url: stack.url, port: stack.port, readyInMs: Math.round(stack.readyInMs) });
  }
  await signal;
  const begin = performance.now();
  withdrawRunningStack();
  await stack.stop();
  log.info(`stopped in ${Math.round(performance.now() - begin)} ms: DynamoDB Local, sandboxes and the HTTP server are down`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Handlers' SDK clients keep sockets alive: the service is down, leave.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
