/**
 * The local stack's own log: one line per startup step, per request, per execution and per
 * event delivery. Readable text on a terminal; JSON lines with LOG_FORMAT=json.
 */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface LocalLog {
  readonly format: LogFormat;
  /** A startup step: `[ 1.23s] synth  template from apps/infra (2.1s)`. */
  step(name: string, message: string, fields?: LogFields): void;
  request(fields: RequestLogFields): void;
  execution(fields: ExecutionLogFields): void;
  event(fields: LogFields & { message: string }): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A line printed as is in text mode (the ready line), as `msg` in JSON mode. */
  plain(message: string, fields?: LogFields): void;
}

export interface RequestLogFields {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  orderId?: string | undefined;
  execution?: string | undefined;
  errorCode?: string | undefined;
}

export interface ExecutionLogFields {
  name: string;
  status: string;
  durationMs: number;
  /** Time it waited for a slot under the concurrency bound, when it did. */
  queuedMs?: number | undefined;
  stateTransitions: number;
  httpStatus?: number | undefined;
  orderId?: string | undefined;
  error?: string | undefined;
}

export interface LocalLogOptions {
  format?: LogFormat;
  /** Where lines go (default: process.stdout's original write, kept before any capture). */
  write?: (line: string) => void;
  /** Clock for the elapsed time of startup steps. */
  startedAt?: number;
  color?: boolean;
}

export function parseLogFormat(value: string | undefined): LogFormat {
  if (value === undefined || value === '' || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new Error(`LOG_FORMAT must be "text" or "json", not "${value}"`);
}

const pad = (value: string, width: number) => (value.length >= width ? value : value + ' '.repeat(width - value.length));

function clock(date = new Date()): string {
  return date.toISOString().slice(11, 23);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Math.round(ms)}ms`;
}

export function createLocalLog(options: LocalLogOptions = {}): LocalLog {
  const format = options.format ?? 'text';
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const write = options.write ?? ((line: string) => void stdoutWrite(line));
  const startedAt = options.startedAt ?? performance.now();
  const color = options.color ?? (format === 'text' && process.stdout.isTTY === true && !process.env['NO_COLOR']);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const statusColor = (status: number) => (status >= 500 ? 31 : status >= 400 ? 33 : 32);

  const json = (level: LogLevel, type: string, msg: string, fields: LogFields = {}) => {
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    write(`${JSON.stringify({ time: new Date().toISOString(), level, type, msg, ...clean })}\n`);
  };
  const extras = (fields: LogFields = {}) =>
    Object.entries(fields)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');

  return {
    format,
    step(name, message, fields) {
      const elapsed = performance.now() - startedAt;
      if (format === 'json') return json('info', 'startup', message, { step: name, elapsedMs: Math.round(elapsed), ...fields });
      write(`[${pad(`${(elapsed / 1000).toFixed(2)}s`, 6)}] ${paint(36, pad(name, 10))} ${message}\n`);
    },
    request(f) {
      const msg = `${f.method} ${f.path} ${f.status}`;
      if (format === 'json') return json(f.status >= 500 ? 'error' : 'info', 'request', msg, { ...f });
      const tail = extras({ order: f.orderId, error: f.errorCode, execution: f.execution, request: f.requestId });
      write(
        `${clock()} ${paint(1, pad(f.method, 6))} ${pad(f.path, 32)} ${paint(statusColor(f.status), String(f.status))} ${pad(formatMs(f.durationMs), 7)} ${tail}\n`,
      );
    },
    execution(f) {
      const msg = `execution ${f.name} ${f.status}`;
      if (format === 'json') return json(f.status === 'SUCCEEDED' ? 'info' : 'error', 'execution', msg, { ...f });
      const status = f.status === 'SUCCEEDED' ? paint(32, f.status) : paint(31, f.status);
      const tail = extras({ http: f.httpStatus, order: f.orderId, transitions: f.stateTransitions, queued: f.queuedMs === undefined ? undefined : formatMs(f.queuedMs), error: f.error });
      write(`${clock()} ${paint(35, 'workflow')} ${pad(f.name, 50)} ${status} ${pad(formatMs(f.durationMs), 7)} ${tail}\n`);
    },
    event(f) {
      const { message, outcome, ...rest } = f;
      if (format === 'json') return json(outcome === 'dead-lettered' ? 'error' : 'info', 'event', message, { outcome, ...rest });
      write(`${clock()} ${paint(outcome === 'dead-lettered' ? 31 : 34, 'events  ')} ${message} ${extras(rest)}\n`);
    },
    info(message, fields) {
      if (format === 'json') return json('info', 'log', message, fields);
      write(`${clock()} ${message}${fields ? ` ${extras(fields)}` : ''}\n`);
    },
    warn(message, fields) {
      if (format === 'json') return json('warn', 'log', message, fields);
      write(`${clock()} ${paint(33, 'warning')} ${message}${fields ? ` ${extras(fields)}` : ''}\n`);
    },
    error(message, fields) {
      if (format === 'json') return json('error', 'log', message, fields);
      write(`${clock()} ${paint(31, 'error')} ${message}${fields ? ` ${extras(fields)}` : ''}\n`);
    },
    plain(message, fields) {
      if (format === 'json') return json('info', 'ready', message, fields);
      write(`${message}\n`);
    },
  };
}
