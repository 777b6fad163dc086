import { describe, expect, it } from 'vitest';
import { normalizeOutput } from './normalize-output';

describe('normalizeOutput', () => {
  it('makes two runs of the same answer equal: ids, times, ports, tokens, durations', () => {
    const run = (order: string, uuid: string, time: string, port: number, paypal: string) =>
      normalizeOutput(
        `{"orderId":"${order}","execution":"cust-42-${uuid}","createdAt":"${time}","approveUrl":"http://127.0.0.1:${port}/checkoutnow?token=${paypal}","durationMs":${port % 97}}\nDate: ${time}`,
      );
    expect(run('ord_85dd590f79304976b0676fd85f93ffe1', 'ca9daee7-8461-4146-ab20-ddb78c90b045', '2026-11-21T08:51:49.991Z', 45519, '43VX2ELD7JJA71D16')).toBe(
      run('ord_965f0a1c4e6b44e8917398bb2acc57be', 'a50f6de0-1eca-4292-b788-94528f7c57c8', '2026-12-02T06:06:50.601Z', 43317, 'SUXZ7MWRLJQQB6EI1'),
    );
    expect(normalizeOutput('Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('Bearer <jwt>');
  });

  it('keeps what the answer says: codes, statuses, amounts, names', () => {
    expect(normalizeOutput('{"code":"OUT_OF_STOCK","available":20}')).not.toBe(normalizeOutput('{"code":"OUT_OF_STOCK","available":19}'));
    expect(normalizeOutput('HTTP/1.1 201 Created')).not.toBe(normalizeOutput('HTTP/1.1 200 OK'));
    expect(normalizeOutput('"status":"CAPTURED"')).toBe('"status":"CAPTURED"');
  });
});
