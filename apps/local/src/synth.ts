import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspaceRoot } from '@orderflow/workspace';
import type { CloudFormationTemplate } from '@orderflow/local-aws';


/**
 * Synthesizes the CDK app of apps/infra without bundling (the handlers run from source
 * here). Apps cannot import each other, so the infra's own synth entry runs as a child
 * process (`node --import tsx apps/infra/src/synth.ts --no-bundle --no-checks`), exactly what
 * `npm run synth -- --no-bundle --no-checks` does (the cdk-nag checks are the deploy's and the tests'). The template is cached under `.cache/local-synth`,
 * keyed by a hash of everything that shapes it (the infra and library sources, the lock
 * file), so a restart with unchanged sources skips the 3-5 s of CDK.
 */

export const SYNTH_ENTRY = 'apps/infra/src/synth.ts';
export const STACK_TEMPLATE_FILE = 'Orderflow.template.json';

/** The CDK app; with the workspace packages it depends on (transitively) and the lock file, all that shapes the template. */
const INFRA_DIR = 'apps/infra';

export interface SynthOptions {
  workspaceRoot?: string;
  cacheDir?: string;
  /** Ignore the cache and synthesize again. */
  fresh?: boolean;
  /** Synthesis deadline. */
  timeoutMs?: number;
}

export interface SynthOutcome {
  template: CloudFormationTemplate;
  templatePath: string;
  cached: boolean;
  hash: string;
  /** When it was done (performance.now()), for a synth started early and awaited later. */
  finishedAt: number;
}

export class SynthError extends Error {
  override name = 'SynthError';
}

export async function synthesizeTemplate(options: SynthOptions = {}): Promise<SynthOutcome> {
  const root = options.workspaceRoot ?? workspaceRoot();
  const cache = options.cacheDir ?? process.env['ORDERFLOW_CACHE_DIR'] ?? join(root, '.cache');
  const hash = templateInputsHash(root);
  const dir = join(cache, 'local-synth', hash);
  const templatePath = join(dir, STACK_TEMPLATE_FILE);
  if (!options.fresh && existsSync(templatePath)) {
    return { template: readTemplate(templatePath), templatePath, cached: true, hash, finishedAt: performance.now() };
  }
  // Synthesize into a private folder, then move it in place, so a concurrent start never
  // reads half a template.
  const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  try {
    await runSynth(root, work, options.timeoutMs ?? 120_000);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  pruneOldSyntheses(join(cache, 'local-synth'), hash);
  return { template: readTemplate(templatePath), templatePath, cached: false, hash, finishedAt: performance.now() };
}

function readTemplate(path: string): CloudFormationTemplate {
  const template = JSON.parse(readFileSync(path, 'utf8')) as CloudFormationTemplate;
  if (!template || typeof template.Resources !== 'object') throw new SynthError(`${path} is not a CloudFormation template`);
  return template;
}

function runSynth(root: string, outdir: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SYNTH_ENTRY, '--no-bundle', '--no-checks', '--outdir', outdir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: '1' },
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-6000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SynthError(`the CDK synth did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      reject(new SynthError(`could not run the CDK synth: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      if (code === 0) resolve();
      else reject(new SynthError(`the CDK synth (${SYNTH_ENTRY}) failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

/** Folders whose sources shape the template: apps/infra and the workspace packages it depends on. */
export function templateInputs(root: string): string[] {
  const folders = new Map<string, string>();
  for (const group of ['apps', 'libs', 'tools']) {
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      const manifest = join(root, group, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name) folders.set(name, join(group, entry.name));
    }
  }
  const inputs = new Set<string>();
  const visit = (folder: string) => {
    if (inputs.has(folder)) return;
    inputs.add(folder);
    const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const dependencyFolder = folders.get(dependency);
      if (dependencyFolder) visit(dependencyFolder);
    }
  };
  visit(INFRA_DIR);
  return [...inputs].sort();
}

/** A hash of the contents of every file that shapes the template. */
export function templateInputsHash(root: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const input of [...templateInputs(root), 'package-lock.json']) collectFiles(join(root, input), files);
  files.sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const SKIPPED_DIRS = new Set(['node_modules', 'out-tsc', 'cdk.out', 'dist', 'coverage', 'bench', '.data', '.cache']);

function collectFiles(path: string, into: string[]): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    if (!/\.test\.ts$/.test(path)) into.push(path);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    if (entry.isFile() && !/\.(ts|json|mjs|js)$/.test(entry.name)) continue;
    collectFiles(join(path, entry.name), into);
  }
}

function pruneOldSyntheses(dir: string, keep: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === keep) continue;
    const path = join(dir, entry.name);
    // Another start may be writing a .tmp- folder right now: only old ones are abandoned.
    if (entry.name.includes('.tmp-') && Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 600_000) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

