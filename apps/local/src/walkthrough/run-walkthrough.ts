import { normalizeOutput } from './normalize-output';
import { ShellSession } from './shell-session';
import type { WalkthroughStep } from './walkthrough-document';

export interface StepResult {
  step: WalkthroughStep;
  /** What the command printed, with the stack's port shown as the README's 3000. */
  output: string[];
  status: number;
  /** Whether it says what the README says (after normalizeOutput). */
  matches: boolean;
}

export interface RunWalkthroughOptions {
  steps: readonly WalkthroughStep[];
  /** The stack the commands go to, in place of the README's localhost:3000. */
  port: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onStep?: (result: StepResult, index: number) => void;
}

const README_PORT = 'localhost:3000';

/** Runs the steps in one shell, in order, and compares each answer with the README's. */
export async function runWalkthrough(options: RunWalkthroughOptions): Promise<StepResult[]> {
  const shell = new ShellSession({ cwd: options.cwd, env: options.env });
  const here = `localhost:${options.port}`;
  const results: StepResult[] = [];
  try {
    for (const [index, step] of options.steps.entries()) {
      const { output, status } = await shell.run(step.command.split(README_PORT).join(here));
      // HTTP headers (curl -i) end in CRLF; a Markdown page has plain lines.
      const lines = output === '' ? [] : output.split(here).join(README_PORT).split('\n').map((line) => line.replace(/\r$/, ''));
      const result: StepResult = { step, output: lines, status, matches: normalizeOutput(lines.join('\n')) === normalizeOutput(step.expected.join('\n')) };
      results.push(result);
      options.onStep?.(result, index);
    }
  } finally {
    shell.close();
  }
  return results;
}

/** A mismatch for a person: the command, what the README shows, what came. */
export function describeMismatch(result: StepResult): string {
  return [
    `$ ${result.step.command}   (README line ${result.step.line + 1}, exit ${result.status})`,
    '  README:',
    ...result.step.expected.map((l) => `    ${l}`),
    '  now:',
    ...result.output.map((l) => `    ${l}`),
  ].join('\n');
}
