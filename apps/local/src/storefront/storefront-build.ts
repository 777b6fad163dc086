import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The storefront (apps/storefront), built with Vite once and kept under `.cache/storefront/<hash>`
 * — the hash of its sources, its config and the lock file — so a restart with unchanged sources
 * serves the last build at once. Apps do not import each other: Vite runs as a child process.
 */

export const STOREFRONT_DIR = 'apps/storefront';

export interface StorefrontBuild {
  dir: string;
  cached: boolean;
  /** JavaScript and CSS shipped, in bytes (uncompressed). */
  bytes: number;
  finishedAt: number;
}

export class StorefrontBuildError extends Error {
  override name = 'StorefrontBuildError';
}

function collect(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (!entry.endsWith('.test.ts')) collect(join(path, entry), out);
  } else out.push(path);
}

export function storefrontInputsHash(root: string): string {
  const files: string[] = [];
  for (const input of ['src', 'index.html', 'vite.config.ts', 'package.json']) collect(join(root, STOREFRONT_DIR, input), files);
  collect(join(root, 'package-lock.json'), files);
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function shippedBytes(dir: string): number {
  const files: string[] = [];
  collect(dir, files);
  return files.filter((f) => /\.(js|css)$/.test(f)).reduce((sum, f) => sum + statSync(f).size, 0);
}

function runVite(root: string, outDir: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: join(root, STOREFRONT_DIR),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      reject(new StorefrontBuildError(`could not run Vite: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      if (code === 0) resolve();
      else reject(new StorefrontBuildError(`the storefront build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

export async function buildStorefront(options: { workspaceRoot: string; cacheDir: string; timeoutMs?: number }): Promise<StorefrontBuild> {
  const hash = storefrontInputsHash(options.workspaceRoot);
  const base = join(options.cacheDir, 'storefront');
  const dir = join(base, hash);
  if (existsSync(join(dir, 'index.html'))) return { dir, cached: true, bytes: shippedBytes(dir), finishedAt: performance.now() };
  // Built aside and moved in place: a concurrent start never serves half a build.
  const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  try {
    await runVite(options.workspaceRoot, work, options.timeoutMs ?? 120_000);
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  for (const entry of readdirSync(base)) {
    if (entry !== hash && !entry.includes('.tmp-')) rmSync(join(base, entry), { recursive: true, force: true });
  }
  return { dir, cached: false, bytes: shippedBytes(dir), finishedAt: performance.now() };
}
