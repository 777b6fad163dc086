/**
 * The README's walkthrough as data: the `sh` blocks of its `## Walkthrough` section, each a list
 * of steps — a command (`$ ` then indented continuation lines) and the output shown under it —
 * so the commands can be run and their answers compared with, or written into, the README.
 */

export interface WalkthroughStep {
  /** The command as bash reads it (continuation lines joined with newlines). */
  command: string;
  /** The output shown under it (possibly none). */
  expected: string[];
  /** Index in the document's lines of the `$ ` line. */
  line: number;
  /** Lines of the document the output occupies: [first, end). */
  outputLines: [number, number];
}

export class WalkthroughDocumentError extends Error {
  override name = 'WalkthroughDocumentError';
}

const SECTION = /^## Walkthrough\s*$/;

export function parseWalkthrough(markdown: string): WalkthroughStep[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => SECTION.test(l));
  if (start < 0) throw new WalkthroughDocumentError('no "## Walkthrough" section');
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const steps: WalkthroughStep[] = [];
  let inBlock = false;
  let current: WalkthroughStep | undefined;
  let continuing = false;
  const finish = (at: number) => {
    if (current) {
      current.outputLines = [current.outputLines[0], at];
      steps.push(current);
    }
    current = undefined;
  };
  for (let i = start + 1; i < (end < 0 ? lines.length : end); i++) {
    const line = lines[i] as string;
    if (!inBlock) {
      if (line.trim() === '```sh') inBlock = true;
      continue;
    }
    if (line.trim() === '```') {
      finish(i);
      inBlock = false;
      continue;
    }
    if (line.startsWith('$ ')) {
      finish(i);
      current = { command: line.slice(2), expected: [], line: i, outputLines: [i + 1, i + 1] };
      continuing = true;
      continue;
    }
    if (!current) throw new WalkthroughDocumentError(`line ${i + 1}: output before any command`);
    if (continuing && /^\s+\S/.test(line)) {
      current.command += `\n${line}`;
      current.outputLines = [i + 1, i + 1];
      continue;
    }
    continuing = false;
    current.expected.push(line);
  }
  if (inBlock) throw new WalkthroughDocumentError('an sh block of the walkthrough is not closed');
  return steps;
}

/** The document with each step's output replaced (for `--write`); `outputs[i]` belongs to `steps[i]`. */
export function replaceOutputs(markdown: string, steps: readonly WalkthroughStep[], outputs: readonly string[][]): string {
  const lines = markdown.split('\n');
  // From the last step up, so earlier line numbers stay valid.
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as WalkthroughStep;
    const [first, end] = step.outputLines;
    lines.splice(first, end - first, ...(outputs[i] ?? []));
  }
  return lines.join('\n');
}
