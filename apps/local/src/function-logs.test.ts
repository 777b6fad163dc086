import { afterEach, describe, expect, it } from 'vitest';
import { captureFunctionLogs, type FunctionLogCapture } from './function-logs';
import { createLocalLog } from './log';

describe('captureFunctionLogs', () => {
  let capture: FunctionLogCapture | undefined;
  afterEach(() => capture?.restore());

  const setup = (format: 'text' | 'json') => {
    const shown: string[] = [];
    const passed: string[] = [];
    const original = process.stdout.write;
    // What reaches the terminal after the capture.
    process.stdout.write = ((chunk: string) => (passed.push(String(chunk)), true)) as typeof process.stdout.write;
    const log = createLocalLog({ format, write: (line) => shown.push(line), color: false });
    capture = captureFunctionLogs(log);
    const restore = capture.restore;
    capture.restore = () => {
      restore();
      process.stdout.write = original;
    };
    return { shown, passed };
  };

  const powertools = (level: string, message: string, extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({ level, message, service: 'orderflow', timestamp: '2026-01-01T00:00:00.000Z', ...extra })}\n`;

  it('keeps the handlers\' JSON lines off the terminal, shows warnings and errors as one line', () => {
    const { shown, passed } = setup('text');
    process.stdout.write(powertools('INFO', 'request handled', { correlationId: 'exec-1', function_name: 'GetOrderFunction' }));
    process.stdout.write(powertools('ERROR', 'task failed', { task: 'save-order', error: { name: 'Boom', message: 'no' } }));
    process.stdout.write('plain text from somewhere\n');
    expect(passed).toEqual(['plain text from somewhere\n']);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/error save-order: task failed \(Boom: no\)/);
    expect(capture?.records({ correlationId: 'exec-1' }).map((r) => [r.level, r.message, r.function])).toEqual([['INFO', 'request handled', 'GetOrderFunction']]);
    expect(capture?.records()).toHaveLength(2);
  });

  it('passes every line through unchanged with LOG_FORMAT=json', () => {
    const { passed } = setup('json');
    const line = powertools('INFO', 'request handled');
    process.stdout.write(line.slice(0, 10));
    process.stdout.write(line.slice(10));
    expect(passed).toEqual([line]);
    expect(capture?.records()).toHaveLength(1);
  });

  it('numbers the lines and sizes them as CloudWatch would ingest them; `since` reads on from a line', () => {
    setup('json');
    const first = powertools('INFO', 'one');
    process.stdout.write(first);
    const [mark] = capture?.records({ limit: 1 }) ?? [];
    process.stdout.write(powertools('INFO', 'two', { correlationId: 'exec-2' }));
    process.stdout.write(powertools('WARN', 'three é'));
    expect(mark?.bytes).toBe(Buffer.byteLength(first));
    const after = capture?.records({ since: mark?.seq ?? 0 }) ?? [];
    expect(after.map((r) => r.message)).toEqual(['three é', 'two']);
    expect(after[0]?.bytes).toBe(Buffer.byteLength(powertools('WARN', 'three é')));
    expect(capture?.records({ since: mark?.seq ?? 0, correlationId: 'exec-2' }).map((r) => r.message)).toEqual(['two']);
  });
});
