import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type Json, LambdaFunctions } from '@orderflow/state-machine-runtime';
import { type CaseExecutor, formatSummary, loadCases, locateConformanceDir, runAll } from '@orderflow/state-machine-runtime/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from './local-step-functions';
import { type StepFunctionsEndpoint, startStepFunctionsEndpoint } from './step-functions-endpoint';

/**
 * The ASL conformance corpus recorded against AWS, each case through the endpoint as a client
 * of Step Functions would run it — CreateStateMachine (its type), StartSyncExecution for EXPRESS,
 * StartExecution then DescribeExecution for STANDARD, DeleteStateMachine — with the real SDK. It
 * must pass exactly the cases the runtime passes in-process.
 */

const dir = locateConformanceDir();
const lambdas = new LambdaFunctions({ functions: {} });
let service: LocalStepFunctions | undefined;
let endpoint: StepFunctionsEndpoint | undefined;
let sfn: SFNClient | undefined;

afterAll(async () => {
  sfn?.destroy();
  await endpoint?.stop();
  await service?.stop();
});

const parse = (text: string | undefined): Json | undefined => (text === undefined ? undefined : (JSON.parse(text) as Json));

const throughTheEndpoint: CaseExecutor = async (c, setting) => {
  if (!sfn) {
    service = new LocalStepFunctions({ region: setting.region, accountId: setting.accountId, waitScale: 0, integrations: { lambdaFunctions: lambdas } });
    endpoint = await startStepFunctionsEndpoint(service);
    sfn = new SFNClient({ endpoint: endpoint.endpoint, region: setting.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
  }
  const client = sfn;
  for (const [name, definition] of Object.entries(setting.lambdaFunctions)) lambdas.add(name, definition);
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({ name: setting.stateMachineName, definition: JSON.stringify(c.definition), roleArn: setting.roleArn, type: c.stateMachineType }),
  );
  try {
    const input = JSON.stringify(c.input);
    if (c.stateMachineType === 'EXPRESS') {
      const answer = await client.send(new StartSyncExecutionCommand({ stateMachineArn, name: setting.executionName, input }));
      return { status: answer.status as 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT', output: parse(answer.output), error: answer.error, cause: answer.cause };
    }
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: setting.executionName, input }));
    for (;;) {
      const described = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING') {
        return { status: described.status as 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED', output: parse(described.output), error: described.error, cause: described.cause };
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
  }
};

describe.skipIf(!dir)('the ASL conformance corpus through the Step Functions endpoint', () => {
  it('passes the same cases as the runtime in-process', async () => {
    const cases = loadCases(dir as string);
    const inProcess = await runAll(cases);
    const throughEndpoint = await runAll(cases, throughTheEndpoint, 1);
    console.log(`in-process: ${inProcess.passed}/${inProcess.total}; through the endpoint: ${formatSummary(throughEndpoint)}`);
    expect(throughEndpoint.total).toBe(cases.length);
    expect(throughEndpoint.failures.map((f) => f.id)).toEqual(inProcess.failures.map((f) => f.id));
    expect(throughEndpoint.passed).toBe(inProcess.passed);
  }, 300_000);
});

if (!dir) console.log('ASL conformance corpus not found (../shared/conformance or ASL_CONFORMANCE_DIR): the endpoint conformance test is skipped.');
