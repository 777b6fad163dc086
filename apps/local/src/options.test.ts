import { describe, expect, it } from 'vitest';
import { parseCliOptions, UsageError } from './options';

describe('parseCliOptions', () => {
  it('defaults: port 3000 on 127.0.0.1, data kept, text logs', () => {
    expect(parseCliOptions([], {})).toEqual({
      help: false,
      port: 3000,
      host: '127.0.0.1',
      inMemory: false,
      dataDir: undefined,
      freshSynth: false,
      showFunctionLogs: false,
      logFormat: 'text',
      scheduleScale: 1,
      maxConcurrentExecutions: 16,
      eventDeliveryDelayMs: 100,
    });
  });

  it('reads PORT, HOST, LOG_FORMAT and ORDERFLOW_DATA_DIR; flags win', () => {
    const env = { PORT: '0', HOST: '0.0.0.0', LOG_FORMAT: 'json', ORDERFLOW_DATA_DIR: '/tmp/a' };
    expect(parseCliOptions([], env)).toMatchObject({ port: 0, host: '0.0.0.0', logFormat: 'json', dataDir: '/tmp/a' });
    expect(parseCliOptions(['--port', '8080', '--log-format', 'text', '--data-dir', '/tmp/b'], env)).toMatchObject({
      port: 8080,
      logFormat: 'text',
      dataDir: '/tmp/b',
    });
    expect(parseCliOptions(['--in-memory', '--fresh-synth', '--function-logs'], {})).toMatchObject({ inMemory: true, freshSynth: true, showFunctionLogs: true });
  });

  it('explains bad input', () => {
    expect(() => parseCliOptions(['--port', 'abc'], {})).toThrow(UsageError);
    expect(() => parseCliOptions([], { PORT: '70000' })).toThrow(/0 to 65535/);
    expect(() => parseCliOptions([], { LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be "text" or "json"/);
    expect(() => parseCliOptions(['--nope'], {})).toThrow(UsageError);
    expect(() => parseCliOptions(['--in-memory', '--data-dir', 'x'], {})).toThrow(/exclude each other/);
    expect(() => parseCliOptions([], { LOCAL_SCHEDULE_SCALE: '0' })).toThrow(/above 0/);
    expect(parseCliOptions(['--schedule-scale', '0.5'], {}).scheduleScale).toBe(0.5);
    expect(parseCliOptions([], { LOCAL_MAX_EXECUTIONS: '4' }).maxConcurrentExecutions).toBe(4);
    expect(parseCliOptions(['--max-executions', '0'], { LOCAL_MAX_EXECUTIONS: '4' }).maxConcurrentExecutions).toBe(0);
    expect(() => parseCliOptions(['--max-executions', 'many'], {})).toThrow(/whole number/);
    expect(() => parseCliOptions([], { LOCAL_MAX_EXECUTIONS: '-2' })).toThrow(/whole number/);
    expect(parseCliOptions(['--event-delay', '0'], { LOCAL_EVENT_DELAY_MS: '250' }).eventDeliveryDelayMs).toBe(0);
    expect(parseCliOptions([], { LOCAL_EVENT_DELAY_MS: '250' }).eventDeliveryDelayMs).toBe(250);
    expect(() => parseCliOptions([], { LOCAL_EVENT_DELAY_MS: 'soon' })).toThrow(/milliseconds/);
  });
});
