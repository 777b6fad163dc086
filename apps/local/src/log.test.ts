import { describe, expect, it } from 'vitest';
import { createLocalLog } from './log';

const capture = (format: 'text' | 'json') => {
  const lines: string[] = [];
  const log = createLocalLog({ format, write: (line) => lines.push(line), color: false, startedAt: performance.now() - 1500 });
  return { log, lines };
};

describe('local log', () => {
  it('writes readable lines on a terminal', () => {
    const { log, lines } = capture('text');
    log.step('dynamodb', 'DynamoDB Local on http://127.0.0.1:8000 (1.20s)');
    log.request({ method: 'POST', path: '/orders', status: 201, durationMs: 412.4, requestId: 'r-1', orderId: 'ord_1', execution: 'cust-1-r-1' });
    log.execution({ name: 'cust-1-r-1', status: 'SUCCEEDED', durationMs: 398, stateTransitions: 18, httpStatus: 201, orderId: 'ord_1' });
    log.plain('orderflow ready on http://localhost:3000');
    expect(lines[0]).toMatch(/^\[1\.5\ds *\] dynamodb +DynamoDB Local on http:\/\/127\.0\.0\.1:8000 \(1\.20s\)\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} POST +\/orders +201 412ms +order=ord_1 execution=cust-1-r-1 request=r-1\n$/);
    expect(lines[2]).toMatch(/workflow cust-1-r-1 +SUCCEEDED 398ms +http=201 order=ord_1 transitions=18\n$/);
    expect(lines[3]).toBe('orderflow ready on http://localhost:3000\n');
    expect(lines.every((l) => !l.includes('\u001b['))).toBe(true);
  });

  it('writes one JSON object per line with LOG_FORMAT=json', () => {
    const { log, lines } = capture('json');
    log.request({ method: 'GET', path: '/products', status: 200, durationMs: 12, requestId: 'r-2', orderId: undefined });
    log.execution({ name: 'x', status: 'FAILED', durationMs: 5, stateTransitions: 3, error: 'Boom' });
    log.plain('orderflow ready on http://localhost:3000', { port: 3000 });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ level: 'info', type: 'request', msg: 'GET /products 200', status: 200, durationMs: 12, requestId: 'r-2' });
    expect(records[0]).not.toHaveProperty('orderId');
    expect(records[1]).toMatchObject({ level: 'error', type: 'execution', status: 'FAILED', error: 'Boom' });
    expect(records[2]).toMatchObject({ type: 'ready', msg: 'orderflow ready on http://localhost:3000', port: 3000 });
    expect(records.every((r) => typeof r['time'] === 'string')).toBe(true);
  });
});
