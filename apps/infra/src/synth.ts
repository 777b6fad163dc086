// `npm run synth`: writes the CloudFormation template and the checkout's ASL.
//   tsx apps/infra/src/synth.ts [--stage dev|prod] [--no-bundle] [--no-checks] [--outdir <dir>] [-c key=value ...]
// cdk-nag's AwsSolutions checks run unless --no-checks (the local stack's synth: same template, ~10 s saved).
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openApiDocument } from '@orderflow/contracts';
import { type CloudFormationTemplate, stateMachineDefinitionFromTemplate } from '@orderflow/local-aws';
import { checkoutStateMachineId } from './checkout-template';

import { createOrderflowApp } from './app';
import { stackIdFor } from './stages';
import { REPO_ROOT } from './orderflow-stack';

export const ASL_FILE_NAME = 'checkout.asl.json';
export const OPENAPI_FILE_NAME = 'openapi.json';

export interface SynthResult {
  templatePath: string;
  aslPath: string;
  /** The OpenAPI 3.1 document of the API (generated from the route table and zod schemas). */
  openApiPath: string;
  template: CloudFormationTemplate;
}

/** Synthesizes the app into `outdir` and writes the state machine's ASL beside the template. */
export function synthesize(options: { outdir: string; bundle: boolean; context?: Record<string, unknown>; securityChecks?: boolean; stage?: string }): SynthResult {
  mkdirSync(options.outdir, { recursive: true });
  const { app, stack } = createOrderflowApp({
    outdir: options.outdir,
    bundle: options.bundle,
    context: options.context ?? {},
    securityChecks: options.securityChecks ?? true,
    ...(options.stage ? { stage: options.stage } : {}),
  });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template as CloudFormationTemplate;
  // The ASL as deployed, its references resolved the way the local stack resolves them.
  const definition = stateMachineDefinitionFromTemplate(template, {}, checkoutStateMachineId(template));
  const aslPath = join(options.outdir, ASL_FILE_NAME);
  writeFileSync(aslPath, `${JSON.stringify(definition, null, 2)}\n`);
  const openApiPath = join(options.outdir, OPENAPI_FILE_NAME);
  writeFileSync(openApiPath, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  return { templatePath: join(options.outdir, artifact.templateFile), aslPath, openApiPath, template };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'no-bundle': { type: 'boolean', default: false },
      'no-checks': { type: 'boolean', default: false },
      stage: { type: 'string' },
      outdir: { type: 'string', default: join(REPO_ROOT, 'apps', 'infra', 'cdk.out') },
      context: { type: 'string', short: 'c', multiple: true, default: [] },
    },
  });
  const context: Record<string, unknown> = {};
  for (const pair of values.context) {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0) throw new Error(`-c expects key=value, got ${pair}`);
    context[key] = rest.join('=');
  }
  const outdir = isAbsolute(values.outdir) ? values.outdir : resolve(process.cwd(), values.outdir);
  const started = Date.now();
  process.stdout.write(`synthesizing ${stackIdFor(values.stage)}${values['no-bundle'] ? ' (without bundling)' : ' (bundling handlers with esbuild)'}...\n`);
  const result = synthesize({ outdir, bundle: !values['no-bundle'], context, securityChecks: !values['no-checks'], ...(values.stage ? { stage: values.stage } : {}) });
  const show = (p: string) => relative(process.cwd(), p) || p;
  process.stdout.write(
    `template: ${show(result.templatePath)}\nasl:      ${show(result.aslPath)}\nopenapi:  ${show(result.openApiPath)}\n(${Object.keys(result.template.Resources).length} resources, ${Date.now() - started} ms)\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
