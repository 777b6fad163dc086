import { describe, expect, it } from 'vitest';
import { parseWalkthrough, replaceOutputs, WalkthroughDocumentError } from './walkthrough-document';

const README = [
  '# title',
  '```sh',
  '$ not in the section',
  '```',
  '## Walkthrough',
  'Some words.',
  '```sh',
  '$ curl -s localhost:3000/a \\',
  "    -d '{}' \\",
  "  | jq -c '.'",
  '{"a":1}',
  '{"b":2}',
  '$ X=$(echo hi)',
  '$ echo $X',
  'hi',
  '```',
  '```json',
  '{"not":"a command"}',
  '```',
  '## Commands',
  '```sh',
  '$ npm test',
  '```',
].join('\n');

describe('the README walkthrough', () => {
  it('is the sh blocks of its section: commands with their continuation lines, and the output under each', () => {
    const steps = parseWalkthrough(README);
    expect(steps.map((s) => s.command)).toEqual(["curl -s localhost:3000/a \\\n    -d '{}' \\\n  | jq -c '.'", 'X=$(echo hi)', 'echo $X']);
    expect(steps.map((s) => s.expected)).toEqual([['{"a":1}', '{"b":2}'], [], ['hi']]);
    expect(steps[0]?.line).toBe(7);
  });

  it('takes new outputs in place of the old ones, the rest of the document unchanged', () => {
    const steps = parseWalkthrough(README);
    const updated = replaceOutputs(README, steps, [['{"a":3}'], ['unexpected'], []]);
    expect(parseWalkthrough(updated).map((s) => s.expected)).toEqual([['{"a":3}'], ['unexpected'], []]);
    expect(updated.split('\n').slice(0, 10)).toEqual(README.split('\n').slice(0, 10));
    expect(updated.endsWith('## Commands\n```sh\n$ npm test\n```')).toBe(true);
  });

  it('says when there is no section, output comes before a command, or a block is open', () => {
    expect(() => parseWalkthrough('# nothing')).toThrow(WalkthroughDocumentError);
    expect(() => parseWalkthrough('## Walkthrough\n```sh\noutput\n```')).toThrow(/output before any command/);
    expect(() => parseWalkthrough('## Walkthrough\n```sh\n$ ls\n')).toThrow(/not closed/);
  });
});
