import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint, Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves that lint enforces DESIGN.md's dependency direction: probe code is linted as if it
 * sat inside a project (ESLint's lintText with a filePath there), with the workspace's own
 * eslint.config.mjs and a project graph computed fresh for this run.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const RULE = '@nx/enforce-module-boundaries';

let eslint: ESLint;
let graphDir: string;

beforeAll(async () => {
  // The rule silently skips itself when no cached project graph exists (e.g. on a clean
  // clone outside Nx). Compute one into a private folder so the test never runs vacuously
  // and never reads a stale graph.
  graphDir = mkdtempSync(join(tmpdir(), 'orderflow-nx-graph-'));
  process.env['NX_WORKSPACE_DATA_DIRECTORY'] = graphDir;
  process.env['NX_DAEMON'] = 'false';
  execFileSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects'], {
    cwd: root,
    env: process.env,
    stdio: 'ignore',
  });
  const { ESLint: ESLintClass } = await import('eslint');
  eslint = new ESLintClass({ cwd: root });
});

afterAll(() => rmSync(graphDir, { recursive: true, force: true }));

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  if (!result) throw new Error('ESLint returned no result');
  return result.messages;
}

const boundaryErrors = (messages: Linter.LintMessage[]) => messages.filter((m) => m.ruleId === RULE && m.severity === 2);

/**
 * Apps publish no entry point, so Nx cannot resolve `@orderflow/api` to the app project;
 * eslint.config.mjs bans app packages by name (no-restricted-imports) outside apps/.
 */
const appImportErrors = (messages: Linter.LintMessage[]) =>
  messages.filter((m) => (m.ruleId === RULE || m.ruleId === 'no-restricted-imports') && m.severity === 2);

const importing = (specifier: string) => `import * as probe from '${specifier}';\n\nexport const used = probe;\n`;

describe('module boundaries (lint)', () => {
  it.each([
    ['libs/catalog/src/probe.ts', '@orderflow/api'],
    ['libs/inventory/src/probe.ts', '@orderflow/local'],
    ['libs/orders/src/probe.ts', '@orderflow/infra'],
    ['libs/order-workflow/src/probe.ts', '@orderflow/api'],
    ['libs/contracts/src/probe.ts', '@orderflow/api'],
    ['libs/catalog/src/probe.ts', '@orderflow/api/src/handlers'],
    ['libs/catalog/src/probe.test.ts', '@orderflow/local'],
    ['tools/seed/src/probe.ts', '@orderflow/api'],
  ])('fails when a lib imports an app: %s imports %s', async (file, app) => {
    const errors = appImportErrors(await lint(file, importing(app)));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/Imports of apps are forbidden/);
  });

  it('fails when a lib reaches into an app by a relative path', async () => {
    const errors = boundaryErrors(await lint('libs/orders/src/probe.ts', importing('../../../apps/api/src/index')));
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each([
    ['libs/catalog/src/probe.ts', '@orderflow/order-workflow'],
    ['libs/inventory/src/probe.ts', '@orderflow/order-workflow'],
    ['libs/orders/src/probe.ts', '@orderflow/order-workflow'],
  ])('fails when a data-access lib imports a feature lib: %s imports %s', async (file, feature) => {
    const errors = boundaryErrors(await lint(file, importing(feature)));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('A project tagged with "type:data-access" can only depend on libs tagged with');
  });

  it('fails when a data-access lib imports another data-access lib only through a relative path', async () => {
    const errors = boundaryErrors(await lint('libs/catalog/src/probe.ts', importing('../../inventory/src/index')));
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fails when lib code imports a tool, which only its tests may use', async () => {
    expect(boundaryErrors(await lint('libs/catalog/src/probe.ts', importing('@orderflow/dynamodb-local')))).toHaveLength(1);
    expect(boundaryErrors(await lint('libs/catalog/src/probe.test.ts', importing('@orderflow/dynamodb-local')))).toEqual([]);
  });

  it.each([
    ['libs/catalog/src/probe.ts', '@orderflow/contracts'],
    ['libs/order-workflow/src/probe.ts', '@orderflow/inventory'],
    ['apps/api/src/probe.ts', '@orderflow/orders'],
    ['tools/seed/src/probe.ts', '@orderflow/catalog'],
  ])('passes for an allowed import: %s imports %s', async (file, allowed) => {
    const messages = await lint(file, importing(allowed));
    expect(messages.filter((m) => m.severity === 2)).toEqual([]);
  });

  it.each([
    ['libs/order-workflow/src/probe.ts', '@orderflow/local-aws'],
    ['libs/orders/src/probe.ts', '@orderflow/local-aws'],
    ['libs/local-aws/src/probe.ts', '@orderflow/order-workflow'],
    ['libs/local-aws/src/probe.ts', '@orderflow/contracts'],
  ])('keeps the local AWS toolkit apart from the product: %s may not import %s', async (file, forbidden) => {
    expect(boundaryErrors(await lint(file, importing(forbidden))).length).toBeGreaterThan(0);
  });
});

describe('the local AWS toolkit is product-blind', () => {
  it('names no order, customer, payment or checkout in its code (tests aside)', () => {
    const dir = join(root, 'libs', 'local-aws', 'src');
    const words = /\b(orders?|customers?|payments?|checkouts?|stripe|paypal)\b/i;
    const found: string[] = [];
    const visit = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          readFileSync(path, 'utf8')
            .split('\n')
            // The npm scope (@orderflow/...) is a name, not a product concept.
            .forEach((line, i) => words.test(line.replaceAll('@orderflow/', '@scope/')) && found.push(`${path.slice(root.length + 1)}:${i + 1}: ${line.trim()}`));
        }
      }
    };
    visit(dir);
    expect(found).toEqual([]);
  });
});
