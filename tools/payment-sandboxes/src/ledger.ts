import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where a sandbox keeps what the provider would remember: payment intents, orders, captures,
 * refunds, idempotency keys. A provider does not forget a charge because our process died,
 * so with a file the ledger survives restarts: every change is appended to a JSON-lines log
 * before the sandbox answers (a SIGKILL after the answer loses nothing: the line is in the
 * page cache), and opening it again replays the log. Without a file it lives in memory.
 */
export interface LedgerOptions {
  /** The log file (created with its folder); none keeps everything in memory. */
  file?: string;
}

/** One line of the log: a value put under a table and id, or (`d`) its deletion. */
interface LogLine {
  t: string;
  id: string;
  v?: unknown;
  d?: 1;
}

export class Ledger {
  private readonly tables = new Map<string, Map<string, unknown>>();
  private fd: number | undefined;

  private constructor(readonly file: string | undefined) {}

  /** Opens (and replays) the ledger; the log is compacted to one line per live value. */
  static open(options: LedgerOptions = {}): Ledger {
    const ledger = new Ledger(options.file);
    if (options.file !== undefined) {
      mkdirSync(dirname(options.file), { recursive: true });
      if (existsSync(options.file)) ledger.replay(readFileSync(options.file, 'utf8'));
      ledger.compact();
    }
    return ledger;
  }

  /** The table of that name (its values as the log left them). */
  table<T>(name: string): LedgerTable<T> {
    let rows = this.tables.get(name);
    if (!rows) {
      rows = new Map();
      this.tables.set(name, rows);
    }
    return new LedgerTable<T>(rows as Map<string, T>, (id, value) => this.append(name, id, value));
  }

  /** Forgets everything (the sandbox's reset). */
  clear(): void {
    for (const rows of this.tables.values()) rows.clear();
    if (this.file !== undefined) this.compact();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(table: string, id: string, value: unknown): void {
    if (this.fd === undefined) return;
    const line: LogLine = value === undefined ? { t: table, id, d: 1 } : { t: table, id, v: value };
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  private replay(text: string): void {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        // A line torn by a crash in the middle of a write: the change it held was never answered.
        continue;
      }
      let rows = this.tables.get(line.t);
      if (!rows) {
        rows = new Map();
        this.tables.set(line.t, rows);
      }
      if (line.d) rows.delete(line.id);
      else rows.set(line.id, line.v);
    }
  }

  /** Rewrites the log with the live values only (temporary file, then rename: never half a log). */
  private compact(): void {
    const file = this.file as string;
    this.close();
    const temporary = `${file}.compacting`;
    const fd = openSync(temporary, 'w');
    for (const [table, rows] of this.tables) {
      for (const [id, value] of rows) writeSync(fd, `${JSON.stringify({ t: table, id, v: value } satisfies LogLine)}\n`);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, file);
    this.fd = openSync(file, 'a');
  }
}

/** A table of the ledger: a Map whose changes are written through to the log. */
export class LedgerTable<T> {
  constructor(
    private readonly rows: Map<string, T>,
    private readonly write: (id: string, value: T | undefined) => void,
  ) {}

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Stores the value as it is now; a value changed in place is stored again with another put. */
  put(id: string, value: T): void {
    this.rows.set(id, value);
    this.write(id, value);
  }

  delete(id: string): void {
    if (this.rows.delete(id)) this.write(id, undefined);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  entries(): IterableIterator<[string, T]> {
    return this.rows.entries();
  }

  get size(): number {
    return this.rows.size;
  }
}
