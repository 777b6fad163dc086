import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CloudFormationTemplate, stateMachineDefinitionFromTemplate } from '@orderflow/local-aws';
import { checkoutStateMachineId } from './checkout-template';
import { HANDLER_METADATA_KEY } from '@orderflow/order-workflow';

import { Validator } from '@seriousme/openapi-schema-validator';
import aslValidator from 'asl-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './orderflow-stack';
import { ASL_FILE_NAME, OPENAPI_FILE_NAME, synthesize } from './synth';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const cfnLintVersion = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const hasCfnLint = cfnLintVersion.status === 0;
if (!hasCfnLint) console.warn('cfn-lint is not on PATH: the template lint test is skipped (pip install cfn-lint).');

describe('npm run synth (without bundling)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'orderflow-synth-'));
  outdirs.push(outdir);
  const result = synthesize({ outdir, bundle: false });

  it('writes the template and the ASL', () => {
    expect(existsSync(result.templatePath)).toBe(true);
    const asl = JSON.parse(readFileSync(join(outdir, ASL_FILE_NAME), 'utf8')) as unknown;
    const template = JSON.parse(readFileSync(result.templatePath, 'utf8')) as CloudFormationTemplate;
    expect(asl).toEqual(stateMachineDefinitionFromTemplate(template, {}, checkoutStateMachineId(template)));
    const { isValid, errorsText } = aslValidator(asl);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it("writes the OpenAPI 3.1 document, valid, with exactly the template's routes", async () => {
    const document = JSON.parse(readFileSync(join(outdir, OPENAPI_FILE_NAME), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const validation = await new Validator().validate(document);
    expect(validation.errors ?? []).toEqual([]);
    // The template's routes: every method but the MOCK ANY (405) and the preflights, with its full path.
    const resources = result.template.Resources;
    const pathOf = (id: string | undefined): string => {
      const resource = id ? resources[id] : undefined;
      if (!resource || resource.Type !== 'AWS::ApiGateway::Resource') return '';
      return `${pathOf((resource.Properties?.['ParentId'] as { Ref?: string }).Ref)}/${String(resource.Properties?.['PathPart'])}`;
    };
    const templateRoutes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method' && !['ANY', 'OPTIONS'].includes(String(r.Properties?.['HttpMethod'])))
      .map((r) => `${String(r.Properties?.['HttpMethod'])} ${pathOf((r.Properties?.['ResourceId'] as { Ref?: string }).Ref)}`)
      .sort();
    const documentRoutes = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documentRoutes).toEqual(templateRoutes);
    expect(templateRoutes).toContain('GET /me/orders');
  });

  // cfn-lint reads ~250 resources in 20–60 s on a busy 2-core machine.
  it.skipIf(!hasCfnLint)('is a template cfn-lint finds no fault in', { timeout: 180_000 }, () => {
    // W3005 (a DependsOn already implied by a GetAtt) is how CDK writes every function's role.
    const lint = spawnSync('cfn-lint', ['--format', 'json', '--ignore-checks', 'W3005', '--', result.templatePath], {
      encoding: 'utf8',
    });
    const findings = JSON.parse(lint.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string }[];
    expect(findings.map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
    expect(lint.status).toBe(0);
  });
});

describe('npm run synth (bundling)', () => {
  it('bundles every handler with esbuild into an ES module that loads', { timeout: 300_000 }, async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'orderflow-bundle-'));
    outdirs.push(outdir);
    const result = synthesize({ outdir, bundle: true });
    // Each of the service's functions (not CDK's helpers, such as the storefront's deployment) has its bundle.
    const functions = Object.values(result.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[HANDLER_METADATA_KEY] !== undefined);
    const assets = functions.map((fn) => `asset.${String((fn.Properties?.['Code'] as { S3Key: string }).S3Key).replace(/\.zip$/, '')}`);
    expect(new Set(assets).size).toBe(functions.length);
    expect(assets.every((asset) => readdirSync(outdir).includes(asset))).toBe(true);
    // Load each bundle from inside the repository, where the runtime-provided @aws-sdk resolves.
    const checkDir = join(REPO_ROOT, '.cache', `bundle-check-${process.pid}`);
    outdirs.push(checkDir);
    for (const asset of assets) {
      const bundle = join(outdir, asset, 'index.mjs');
      expect(existsSync(bundle), asset).toBe(true);
      const copyDir = join(checkDir, asset);
      mkdirSync(copyDir, { recursive: true });
      const copy = join(copyDir, 'index.mjs');
      copyFileSync(bundle, copy);
      copyFileSync(`${bundle}.map`, `${copy}.map`);
      const module = (await import(pathToFileURL(copy).href)) as { handler?: unknown };
      expect(typeof module.handler, asset).toBe('function');
    }
  });
});
