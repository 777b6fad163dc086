/**
 * sfn-local: AWS Step Functions on this machine for any project — the AWS JSON protocol on a
 * port, for the AWS SDK and CLI (`--endpoint-url`), running machines on this repository's ASL
 * runtime (JSONata and JSONPath).
 *
 *   npx sfn-local [--port 8083] [--host 127.0.0.1] [--region us-east-1] [--account 123456789012]
 *                 [--wait-scale <n>] [--lambda <name>=<module>[#export]]...
 *
 * `--lambda` serves a Lambda function (by name, for `lambda:invoke` and function ARNs) from a
 * module's export. Prints one line with the endpoint; Ctrl-C or SIGTERM stops it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { LambdaHandler } from '@orderflow/state-machine-runtime';
import { LocalStepFunctions } from './local-step-functions';
import { STEP_FUNCTIONS_OPERATIONS, startStepFunctionsEndpoint } from './step-functions-endpoint';

export const SFN_LOCAL_USAGE =
  'usage: sfn-local [--port 8083] [--host 127.0.0.1] [--region us-east-1] [--account 123456789012] [--wait-scale <n>] [--lambda <name>=<module>[#export]]...';

class UsageError extends Error {
  override name = 'UsageError';
}

async function lambdaFunctions(specs: string[]): Promise<Record<string, LambdaHandler>> {
  const functions: Record<string, LambdaHandler> = {};
  for (const spec of specs) {
    const match = /^([^=]+)=([^#]+)(?:#(.+))?$/.exec(spec);
    if (!match) throw new UsageError(`--lambda expects <name>=<module>[#export], got '${spec}'`);
    const module = (await import(pathToFileURL(resolve(match[2] as string)).href)) as Record<string, unknown>;
    const handler = module[match[3] ?? 'handler'];
    if (typeof handler !== 'function') throw new UsageError(`${match[2]} has no function export '${match[3] ?? 'handler'}'`);
    functions[match[1] as string] = handler as LambdaHandler;
  }
  return functions;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8083' },
        host: { type: 'string', default: '127.0.0.1' },
        region: { type: 'string', default: 'us-east-1' },
        account: { type: 'string', default: '123456789012' },
        'wait-scale': { type: 'string', default: '1' },
        lambda: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SFN_LOCAL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${SFN_LOCAL_USAGE}\noperations: ${STEP_FUNCTIONS_OPERATIONS.join(', ')}\n`);
    return 0;
  }
  const port = Number(values.port);
  const waitScale = Number(values['wait-scale']);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(waitScale >= 0)) {
    process.stderr.write(`--port is 0-65535 and --wait-scale a number >= 0\n${SFN_LOCAL_USAGE}\n`);
    return 2;
  }
  let functions: Record<string, LambdaHandler>;
  try {
    functions = await lambdaFunctions(values.lambda);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SFN_LOCAL_USAGE}\n`);
    return 2;
  }
  const service = new LocalStepFunctions({ region: values.region, accountId: values.account, waitScale, integrations: { lambdaFunctions: functions } });
  const endpoint = await startStepFunctionsEndpoint(service, { host: values.host, port });
  process.stdout.write(`sfn-local ready on ${endpoint.endpoint} (region ${values.region}, account ${values.account}); aws stepfunctions ... --endpoint-url ${endpoint.endpoint}\n`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await endpoint.stop();
  await service.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sfn-local: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
