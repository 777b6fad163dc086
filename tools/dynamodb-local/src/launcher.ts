import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startTiedChild } from '@orderflow/child-process';
import { localClientConfig } from './client-config';
import { ensureDynamoDbLocalJar } from './jar';
import { checkJava } from './java';
import { ensureTable } from './table';

export interface StartOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Keep data in this folder across restarts; in memory when absent. */
  dataDir?: string;
  /** Create this table from the shared definition once DynamoDB Local answers. */
  tableName?: string;
  /** How long to wait for DynamoDB Local to answer. */
  startTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  dataDir: string | undefined;
  pid: number | undefined;
  /** A client for this instance; closed by stop(). */
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the official DynamoDB Local, waits until it answers, and optionally creates the table. */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const progress = options.onProgress ?? (() => undefined);
  const java = checkJava();
  const jar = await ensureDynamoDbLocalJar(progress);
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir === undefined ? undefined : resolvePath(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const args = [
    `-Djava.library.path=${jar.libDir}`,
    '-Xshare:auto',
    '-jar',
    jar.jar,
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    // One database whatever the region or credentials of the caller.
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  progress(`starting DynamoDB Local on port ${port} (${dataDir ? `data in ${dataDir}` : 'in memory'})`);
  // Tied to this process: Java never outlives it, even when it is SIGKILLed.
  const { child, output, stop: stopJava } = startTiedChild(java, args, { cwd: jar.dir });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const stop = async () => {
    client.destroy();
    await stopJava();
  };

  try {
    await waitUntilAnswering(child, client, options.startTimeoutMs ?? 30_000, output);
    if (options.tableName) {
      const outcome = await ensureTable(client, options.tableName);
      progress(`table ${options.tableName} ${outcome === 'created' ? 'created' : 'already there'}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, dataDir, pid: child.pid, client, stop };
}

async function waitUntilAnswering(child: ChildProcess, client: DynamoDBClient, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (;;) {
    if (exited !== undefined) {
      throw new DynamoDbLocalStartError(`DynamoDB Local exited (${exited}) before answering: ${output().trim().slice(-600)}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local did not answer within ${timeoutMs} ms (${(error as Error).message}): ${output().trim().slice(-600)}`,
        );
      }
      await sleep(100);
    }
  }
}
