import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import type { PaymentLogger } from '../logging';

/** A fresh order id in the contract's format. */
export function newOrderId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `ord_${[...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** A logger that keeps every line it is given, as the JSON a log sink would store. */
export function capturingLogger(): PaymentLogger & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (message: string, ...attributes: Record<string, unknown>[]) => {
      lines.push(JSON.stringify({ level, message, ...Object.assign({}, ...attributes) }));
    };
  return { lines, debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

/** Every text an error could show anywhere: message, string form, client body, full inspection. */
export function errorTexts(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: 10, showHidden: true })];
  if (error instanceof Error) texts.push(error.message, JSON.stringify(error), String(error.stack));
  const body = (error as { toBody?: () => unknown }).toBody?.();
  if (body !== undefined) texts.push(JSON.stringify(body));
  return texts;
}

/** Runs `work`, expecting it to fail; keeps the error's texts for the secret scan. */
export async function failureOf(work: Promise<unknown>, seen: string[]): Promise<Error> {
  try {
    await work;
  } catch (error) {
    seen.push(...errorTexts(error));
    return error as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Fails when any secret (or its base64 or URL-encoded form) appears in any text. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  expect(texts.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThanOrEqual(8);
    const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
    for (const text of texts) {
      for (const form of forms) {
        if (text.includes(form)) throw new Error(`a secret appears in: ${text.slice(0, 300)}`);
      }
    }
  }
}
