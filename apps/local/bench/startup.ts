// Startup benchmark of the local stack: `npm run bench -w @orderflow/local [-- --runs 3]`.
// Starts `npm start` N times (in memory, free port, JSON logs), reads the time of every
// startup step from its log, stops it with SIGTERM, and prints the figures per phase:
// once with the CDK synth cached (sources unchanged: the usual restart) and once with a
// fresh synth every start (the first start after a change, or on a fresh clone).
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@orderflow/dynamodb-local';

interface Step {
  step: string;
  durationMs: number;
  elapsedMs: number;
}

interface RunResult {
  wallToReadyMs: number;
  readyInMs: number;
  stopMs: number;
  steps: Step[];
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'both' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
const modes = values.mode === 'both' ? ['cached', 'fresh'] : [values.mode as string];

function startOnce(freshSynth: boolean): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = ['start', '--silent', '--', '--in-memory', '--port', '0', '--log-format', 'json', ...(freshSynth ? ['--fresh-synth'] : [])];
    const child = spawn('npm', args, {
      cwd: workspaceRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const steps: Step[] = [];
    let buffer = '';
    let stderr = '';
    let ready: { wall: number; readyInMs: number } | undefined;
    let stopAt = 0;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record['type'] === 'startup' && typeof record['durationMs'] === 'number') {
          steps.push({ step: String(record['step']), durationMs: record['durationMs'], elapsedMs: Number(record['elapsedMs']) });
        }
        if (record['type'] === 'ready') {
          ready = { wall: performance.now() - started, readyInMs: Number(record['readyInMs']) };
          stopAt = performance.now();
          child.kill('SIGTERM');
        }
      }
    });
    child.once('exit', (code) => {
      if (!ready) return reject(new Error(`npm start exited (${code}) before it was ready:\n${stderr.slice(-2000)}`));
      resolve({ wallToReadyMs: ready.wall, readyInMs: ready.readyInMs, stopMs: performance.now() - stopAt, steps });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`.padStart(7);

process.stdout.write(`orderflow local stack startup, ${runs} run(s) per mode, in memory (fresh table and seed each start)\n`);
process.stdout.write('phases run partly in parallel: DynamoDB Local (a JVM) starts while the CDK app synthesizes and the handlers load\n');
for (const mode of modes) {
  const results: RunResult[] = [];
  // A first start fills the synth cache, so "cached" measures what a restart costs.
  if (mode === 'cached') await startOnce(false);
  for (let i = 0; i < runs; i += 1) {
    const result = await startOnce(mode === 'fresh');
    results.push(result);
    process.stdout.write(
      `  ${mode} run ${i + 1}: ready ${seconds(result.wallToReadyMs)} after spawning npm (${seconds(result.readyInMs)} in the stack), stopped in ${Math.round(result.stopMs)} ms\n`,
    );
  }
  const names = [...new Set(results.flatMap((r) => r.steps.map((s) => s.step)))];
  process.stdout.write(`\n${mode === 'cached' ? 'synth cached (a restart)' : 'fresh synth every start'}: median of ${runs}\n`);
  process.stdout.write(`  ${'phase'.padEnd(11)}${'took'.padStart(8)}${'done at'.padStart(9)}\n`);
  for (const name of names) {
    const own = results.map((r) => r.steps.find((s) => s.step === name)).filter((s): s is Step => s !== undefined);
    process.stdout.write(`  ${name.padEnd(11)}${seconds(median(own.map((s) => s.durationMs)))} ${seconds(median(own.map((s) => s.elapsedMs)))}\n`);
  }
  process.stdout.write(`  ${'ready'.padEnd(11)}${''.padStart(8)} ${seconds(median(results.map((r) => r.readyInMs)))} in the stack, ${seconds(median(results.map((r) => r.wallToReadyMs))).trim()} from spawning npm start\n`);
  process.stdout.write(`  ${'stop'.padEnd(11)}${seconds(median(results.map((r) => r.stopMs)))}\n\n`);
}
