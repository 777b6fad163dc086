import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const libDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = resolve(libDir, '..', '..');
const bin = join(libDir, 'bin', 'asl-run.mjs');
const dir = mkdtempSync(join(tmpdir(), 'asl-run-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function asl(args: string[], stdin?: string, command: string[] = [process.execPath, bin], cwd = libDir): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0] as string, [...command.slice(1), ...args], {
      cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const definition = file('machine.json', {
  QueryLanguage: 'JSONata',
  StartAt: 'Sum',
  States: {
    Sum: { Type: 'Pass', Output: { sum: '{% $states.input.a + $states.input.b %}' }, Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.sum >= 0 %}', Next: 'Done' }], Default: 'Negative' },
    Done: { Type: 'Succeed' },
    Negative: { Type: 'Fail', Error: 'Negative', Cause: "{% 'sum was ' & $string($states.input.sum) %}" },
  },
});

function oneJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

describe('asl-run (child process)', () => {
  it('prints {"status":"SUCCEEDED","output":...} and exits 0 (input from stdin)', async () => {
    const run = await asl([definition, '--input', '-', '--wait-scale', '0'], '{"a": 2, "b": 3}');
    expect(run.code).toBe(0);
    expect(oneJsonLine(run.stdout)).toEqual({ status: 'SUCCEEDED', output: { sum: 5 } });
  });

  it('prints {"status":"FAILED","error","cause"} and exits 1 (input from a file)', async () => {
    const run = await asl([definition, '--input', file('negative.json', { a: -5, b: 1 }), '--wait-scale', '0']);
    expect(run.code).toBe(1);
    expect(oneJsonLine(run.stdout)).toEqual({ status: 'FAILED', error: 'Negative', cause: 'sum was -4' });
  });

  it('includes the history with --history', async () => {
    const run = await asl([definition, '--history', '--wait-scale', '0', '--input', '-'], '{"a": 1, "b": 1}');
    const line = oneJsonLine(run.stdout) as { history: { type: string; timestamp: string }[] };
    expect(line.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    // The 30 s wait is skipped but still counts as execution time (plus the real milliseconds spent).
    const waited = Date.parse(line.history[4]?.timestamp as string) - Date.parse(line.history[3]?.timestamp as string);
    expect(waited).toBeGreaterThanOrEqual(30_000);
    expect(waited).toBeLessThan(31_000);
  });

  it('exits 2 for an invalid definition, naming the state and field', async () => {
    const bad = file('bad.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } });
    const run = await asl([bad]);
    expect(run.code).toBe(2);
    const line = oneJsonLine(run.stdout);
    expect(line['status']).toBe('INVALID_DEFINITION');
    expect(line['cause']).toContain("State 'A', field 'Next'");
  });

  it('exits 2 for bad arguments', async () => {
    expect((await asl([])).code).toBe(2);
    expect((await asl([definition, '--wait-scale', '-1'])).code).toBe(2);
    expect((await asl([definition, '--nope'])).code).toBe(2);
    expect((await asl([definition, '--input', '-'], 'not json')).code).toBe(2);
    expect((await asl([join(dir, 'missing.json')])).code).toBe(2);
  });

  it('runs Lambda tasks with handlers from modules (--lambda name=module#export)', async () => {
    const handlers = file('handlers.mjs', 'export const greet = async (event) => ({ greeting: `hello ${event.name}` });\n');
    const withLambda = file('lambda.json', {
      StartAt: 'Greet',
      States: { Greet: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'greeter', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
    });
    const run = await asl([withLambda, '--lambda', `greeter=${handlers}#greet`, '--input', '-'], '{"name": "Ada"}');
    expect(oneJsonLine(run.stdout)).toEqual({ status: 'SUCCEEDED', output: { greeting: 'hello Ada' } });
  });

  it('works as `npx asl-run` from the workspace root', async () => {
    const run = await asl([definition, '--input', '-', '--wait-scale', '0'], '{"a": 1, "b": 2}', ['npx', '--no-install', 'asl-run'], workspaceRoot);
    expect(run.code).toBe(0);
    expect(oneJsonLine(run.stdout)).toEqual({ status: 'SUCCEEDED', output: { sum: 3 } });
  }, 60_000);
});
