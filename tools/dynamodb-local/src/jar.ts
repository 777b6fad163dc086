import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheDir } from './workspace';

/**
 * DynamoDB Local is not downloadable directly here, but this npm package ships the
 * official jar. Only its tarball is fetched (installing it would pull ~280 packages).
 */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

export interface JarLocation {
  dir: string;
  jar: string;
  libDir: string;
}

function locationIn(dir: string): JarLocation {
  return { dir, jar: join(dir, 'DynamoDBLocal.jar'), libDir: join(dir, 'DynamoDBLocal_lib') };
}

const COMPLETE_MARKER = '.complete';
const STALE_LOCK_MS = 180_000;

/**
 * Makes sure the DynamoDB Local jar is in the cache, fetching it once. Safe when several
 * processes (parallel test projects) ask at the same time: one fetches, the others wait.
 */
export async function ensureDynamoDbLocalJar(onProgress: (message: string) => void = () => undefined): Promise<JarLocation> {
  const root = join(cacheDir(), 'dynamodb-local');
  const location = locationIn(root);
  if (existsSync(join(root, COMPLETE_MARKER))) return location;

  mkdirSync(cacheDir(), { recursive: true });
  const lock = `${root}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(join(root, COMPLETE_MARKER))) return location;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    if (existsSync(join(root, COMPLETE_MARKER))) return location;
    onProgress(`fetching DynamoDB Local (${DYNAMODB_LOCAL_PACKAGE}, ~55 MB) from the npm registry, once`);
    const work = mkdtempSync(join(cacheDir(), 'dynamodb-local-download-'));
    try {
      // npm pack checks the tarball against the registry's integrity hash.
      await run('npm', ['pack', DYNAMODB_LOCAL_PACKAGE, '--pack-destination', work, '--silent'], work);
      const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
      if (!tarball) throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced no tarball`);
      await run('tar', ['-xzf', tarball, 'package/emulator'], work);
      rmSync(root, { recursive: true, force: true });
      renameSync(join(work, 'package', 'emulator'), root);
      writeFileSync(join(root, COMPLETE_MARKER), `${DYNAMODB_LOCAL_PACKAGE}\n`);
      onProgress('DynamoDB Local is in the cache');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return location;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
