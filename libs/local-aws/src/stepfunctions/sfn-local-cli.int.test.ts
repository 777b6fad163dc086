import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';

// `sfn-local` as another project would run it: its own process, a Lambda function from a module, the SDK.

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sfn-local.mjs');
const dir = mkdtempSync(join(tmpdir(), 'sfn-local-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('sfn-local', () => {
  it('serves Step Functions on a port with the given Lambda functions, and stops on SIGTERM', async () => {
    const module = join(dir, 'greet.mjs');
    writeFileSync(module, 'export const handler = async (event) => ({ greeting: `hello ${event.who}` });\n');
    child = spawn(process.execPath, [bin, '--port', '0', '--region', 'eu-west-1', '--lambda', `greet=${module}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const endpoint = await new Promise<string>((resolveReady, reject) => {
      child?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolveReady(match[1] as string);
      });
      child?.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child?.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    const sfn = new SFNClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
    try {
      const definition = { StartAt: 'Greet', States: { Greet: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'greet', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } } };
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Greeter', definition: JSON.stringify(definition), roleArn: 'r', type: 'EXPRESS' }));
      const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"who":"ada"}' }));
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.parse(result.output ?? '')).toEqual({ greeting: 'hello ada' });
    } finally {
      sfn.destroy();
    }
    const exited = new Promise<number | null>((resolveExit) => child?.once('exit', (code) => resolveExit(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
