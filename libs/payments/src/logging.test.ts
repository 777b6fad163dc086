import { describe, expect, it } from 'vitest';
import { redactingLogger, SecretRedactor } from './logging';
import { capturingLogger, expectNoSecrets } from './test/harness';

describe('SecretRedactor', () => {
  it('removes registered secrets and anything shaped like a credential', () => {
    const redactor = new SecretRedactor();
    redactor.remember('client-secret-value-123', 'short');
    const text = redactor.redact(
      'secret client-secret-value-123, key sk_live_abcdefghijklmnop, header Bearer A21AAabcdefghijklmnopqrstuvwxyz0123, Basic dXNlcjpwYXNzd29yZA==, word short',
    );
    expect(text).toBe('secret [REDACTED], key [REDACTED], header Bearer [REDACTED], Basic [REDACTED], word short');
  });

  it('redacts log messages and nested attributes', () => {
    const redactor = new SecretRedactor();
    redactor.remember('super-secret-value');
    const sink = capturingLogger();
    redactingLogger(sink, redactor).warn('got super-secret-value', { nested: { list: ['x super-secret-value'] }, n: 1 });
    expect(sink.lines).toEqual(['{"level":"WARN","message":"got [REDACTED]","nested":{"list":["x [REDACTED]"]},"n":1}']);
  });
});

describe('the secret scan of the tests', () => {
  it('finds a secret in plain, URL-encoded or base64 form', () => {
    const secret = 'p@ss/word+123';
    expect(() => expectNoSecrets(['nothing here'], [secret])).not.toThrow();
    expect(() => expectNoSecrets([`x ${secret} y`], [secret])).toThrow(/a secret appears/);
    expect(() => expectNoSecrets([encodeURIComponent(secret)], [secret])).toThrow(/a secret appears/);
    expect(() => expectNoSecrets([Buffer.from(secret).toString('base64')], [secret])).toThrow(/a secret appears/);
  });
});
