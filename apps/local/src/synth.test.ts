import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templateInputsHash } from './synth';

describe('templateInputsHash', () => {
  const root = mkdtempSync(join(tmpdir(), 'local-synth-hash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('apps/infra/src/stack.ts', 'export const a = 1;');
  write('libs/contracts/src/table.ts', 'export const t = 1;');
  write('package-lock.json', '{}');

  it('changes when a source that shapes the template changes, not for tests or build output', () => {
    const first = templateInputsHash(root);
    expect(templateInputsHash(root)).toBe(first);
    write('libs/contracts/src/table.test.ts', 'test');
    write('libs/contracts/out-tsc/table.d.ts', 'x');
    write('libs/contracts/node_modules/x/index.js', 'x');
    write('apps/infra/src/notes.md', 'x');
    expect(templateInputsHash(root)).toBe(first);
    write('libs/contracts/src/table.ts', 'export const t = 2;');
    const second = templateInputsHash(root);
    expect(second).not.toBe(first);
    write('package-lock.json', '{"v":2}');
    expect(templateInputsHash(root)).not.toBe(second);
  });
});
