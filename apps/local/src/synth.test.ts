import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { afterAll, describe, expect, it } from 'vitest';
import { templateInputs, templateInputsHash } from './synth';

describe('templateInputsHash', () => {
  const root = mkdtempSync(join(tmpdir(), 'local-synth-hash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const manifest = (name: string, dependencies: Record<string, string> = {}, devDependencies: Record<string, string> = {}) =>
    JSON.stringify({ name, dependencies, devDependencies });
  write('apps/infra/package.json', manifest('@orderflow/infra', { '@orderflow/contracts': '*', 'aws-cdk-lib': '2' }, { '@orderflow/testing': '*' }));
  write('apps/infra/src/stack.ts', 'export const a = 1;');
  write('libs/contracts/package.json', manifest('@orderflow/contracts'));
  write('libs/contracts/src/table.ts', 'export const t = 1;');
  write('libs/catalog/package.json', manifest('@orderflow/catalog', { '@orderflow/contracts': '*' }));
  write('libs/catalog/src/catalog.ts', 'export const c = 1;');
  write('tools/testing/package.json', manifest('@orderflow/testing'));
  write('package-lock.json', '{}');

  it('covers apps/infra and the workspace packages it depends on, not its dev dependencies or other packages', () => {
    expect(templateInputs(root)).toEqual(['apps/infra', 'libs/contracts']);
  });

  it('changes when a source that shapes the template changes, not for tests, build output or unrelated packages', () => {
    const first = templateInputsHash(root);
    expect(templateInputsHash(root)).toBe(first);
    write('libs/contracts/src/table.test.ts', 'test');
    write('libs/contracts/out-tsc/table.d.ts', 'x');
    write('libs/contracts/node_modules/x/index.js', 'x');
    write('apps/infra/src/notes.md', 'x');
    write('libs/catalog/src/catalog.ts', 'export const c = 2;');
    expect(templateInputsHash(root)).toBe(first);
    write('libs/contracts/src/table.ts', 'export const t = 2;');
    const second = templateInputsHash(root);
    expect(second).not.toBe(first);
    write('package-lock.json', '{"v":2}');
    expect(templateInputsHash(root)).not.toBe(second);
  });

  it("in this repository, follows apps/infra's dependencies into the libraries", () => {
    expect(templateInputs(workspaceRoot())).toEqual(expect.arrayContaining(['apps/infra', 'libs/contracts', 'libs/order-workflow', 'libs/events']));
    expect(templateInputs(workspaceRoot())).not.toContain('apps/local');
  });
});
