import type { LocalLog } from './log';

/**
 * The handlers log as in Lambda (Powertools: one JSON object per line on stdout, which
 * CloudWatch would collect). Here those lines are taken off the terminal and kept for
 * GET /_local/logs; in text mode warnings and errors are shown as one readable line (all
 * of them with `showAll`), in JSON mode every line passes through unchanged.
 */

export interface FunctionLogRecord {
  /** Position in the stream of captured lines (1, 2, ...): `records({ since })` reads on from one. */
  seq: number;
  /** The line's size in UTF-8 (newline included): what CloudWatch Logs would ingest for it. */
  bytes: number;
  time: string;
  level: string;
  message: string;
  function: string | undefined;
  /** The execution name or request id the handler put on its logs. */
  correlationId: string | undefined;
  fields: Record<string, unknown>;
}

export interface FunctionLogCapture {
  /** Newest first, at most `limit` (200); with `since`, only lines captured after that `seq`. */
  records(filter?: { correlationId?: string; limit?: number; since?: number }): FunctionLogRecord[];
  restore(): void;
}

const SHOWN_LEVELS = new Set(['WARN', 'ERROR', 'CRITICAL']);

function asPowertoolsRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const record = parsed as Record<string, unknown>;
    // Powertools log lines carry level + message; metrics (EMF) carry `_aws`.
    if (('level' in record && 'message' in record) || '_aws' in record) return record;
  } catch {
    return undefined;
  }
  return undefined;
}

export function captureFunctionLogs(log: LocalLog, options: { showAll?: boolean; capacity?: number } = {}): FunctionLogCapture {
  const capacity = options.capacity ?? 2000;
  const kept: FunctionLogRecord[] = [];
  let seq = 0;
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };

  const intercept = (stream: NodeJS.WriteStream, original: typeof process.stdout.write) => {
    const write = original.bind(stream);
    let partial = '';
    stream.write = ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      const passed: string[] = [];
      for (const line of lines) {
        const record = asPowertoolsRecord(line.trim());
        if (!record) {
          passed.push(line);
          continue;
        }
        const entry: FunctionLogRecord = {
          seq: ++seq,
          bytes: Buffer.byteLength(line.trim()) + 1,
          time: typeof record['timestamp'] === 'string' ? record['timestamp'] : new Date().toISOString(),
          level: '_aws' in record ? 'METRICS' : String(record['level']),
          message: '_aws' in record ? 'metrics' : String(record['message']),
          function: typeof record['function_name'] === 'string' ? record['function_name'] : undefined,
          correlationId:
            typeof record['correlationId'] === 'string'
              ? record['correlationId']
              : typeof record['correlation_id'] === 'string'
                ? record['correlation_id']
                : undefined,
          fields: record,
        };
        kept.push(entry);
        if (kept.length > capacity) kept.splice(0, kept.length - capacity);
        if (log.format === 'json') passed.push(line);
        else if (options.showAll || SHOWN_LEVELS.has(entry.level)) {
          const where = entry.function ?? (typeof record['task'] === 'string' ? record['task'] : 'function');
          const error = record['error'] as { name?: unknown; message?: unknown } | undefined;
          const detail = error && typeof error === 'object' ? ` (${String(error.name)}: ${String(error.message)})` : '';
          const line = `${where}: ${entry.message}${detail}`;
          if (entry.level === 'ERROR' || entry.level === 'CRITICAL') log.error(line);
          else if (entry.level === 'WARN') log.warn(line);
          else log.info(line);
        }
      }
      if (passed.length > 0) return write(`${passed.join('\n')}\n`, done as () => void);
      if (typeof done === 'function') (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  };
  intercept(process.stdout, originals.stdout);
  intercept(process.stderr, originals.stderr);

  return {
    records(filter = {}) {
      const since = filter.since;
      const matching = kept.filter(
        (r) => (!filter.correlationId || r.correlationId === filter.correlationId) && (since === undefined || r.seq > since),
      );
      return matching.slice(-(filter.limit ?? 200)).reverse();
    },
    restore() {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
}
