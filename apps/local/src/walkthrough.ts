// `npm run walkthrough -w @orderflow/local -- [--write]`: runs the README's walkthrough against a
// fresh `npm start -- --in-memory` and says where its answers differ from the README's; --write
// puts the new answers in the README. The e2e test runs the same comparison.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { startStackProcess } from './stack-process';
import { describeMismatch, runWalkthrough } from './walkthrough/run-walkthrough';
import { parseWalkthrough, replaceOutputs } from './walkthrough/walkthrough-document';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { write: { type: 'boolean', default: false }, readme: { type: 'string' } } });
  const readme = values.readme ?? join(workspaceRoot(), 'README.md');
  const markdown = readFileSync(readme, 'utf8');
  const steps = parseWalkthrough(markdown);
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-walkthrough-'));
  const env = { ORDERFLOW_RUNNING_STACK_FILE: join(dir, 'running-stack.json') };
  process.stderr.write(`starting npm start -- --in-memory for ${steps.length} commands of ${readme}\n`);
  const stack = await startStackProcess({ args: ['--in-memory'], env });
  try {
    const results = await runWalkthrough({
      steps,
      port: stack.port,
      cwd: workspaceRoot(),
      env: { ...process.env, ...env },
      onStep: (result, i) => process.stderr.write(`${result.matches ? '✓' : '✗'} ${i + 1}/${steps.length} ${result.step.command.split('\n')[0]?.slice(0, 100)}\n`),
    });
    const mismatches = results.filter((r) => !r.matches);
    if (values.write) {
      writeFileSync(readme, replaceOutputs(markdown, steps, results.map((r) => r.output)));
      process.stdout.write(`${readme}: ${mismatches.length} answers rewritten\n`);
      return 0;
    }
    for (const mismatch of mismatches) process.stdout.write(`\n${describeMismatch(mismatch)}\n`);
    process.stdout.write(`\n${results.length - mismatches.length}/${results.length} answers as in the README\n`);
    return mismatches.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`walkthrough: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
