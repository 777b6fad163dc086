import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest folder above `from` (this file by default) that holds nx.json. */
export function workspaceRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Where downloads, caches and the running stack's note live; ORDERFLOW_CACHE_DIR overrides. */
export function cacheDir(): string {
  return process.env['ORDERFLOW_CACHE_DIR'] ?? join(workspaceRoot(), '.cache');
}
