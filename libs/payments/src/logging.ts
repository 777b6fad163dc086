import { Logger } from '@aws-lambda-powertools/logger';

/**
 * What the payments library logs through. Powertools' `Logger` fits it, so the Lambda
 * handlers pass their own; without one the library makes a Powertools logger
 * (service `payments`, level from POWERTOOLS_LOG_LEVEL).
 */
export interface PaymentLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

export function defaultPaymentLogger(): PaymentLogger {
  return new Logger({ serviceName: 'payments' });
}

export const silentPaymentLogger: PaymentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const REDACTED = '[REDACTED]';
// Shapes of credentials, in case one turns up where no known value is registered yet.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9_]+/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bA21AA[A-Za-z0-9._-]{20,}/g,
];

/**
 * Scrubs secrets from text and log attributes: the values it was told about (API keys,
 * client secrets, their Basic-auth form) and anything shaped like a credential. The
 * adapters pass every provider message through it before it reaches an error or a log.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  remember(...values: (string | undefined)[]): void {
    for (const value of values) {
      // Very short values would redact ordinary words; real secrets are long.
      if (value && value.length >= 8) this.secrets.add(value);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const pattern of SECRET_PATTERNS) {
      out = out.replace(pattern, (match, scheme: unknown) => (typeof scheme === 'string' ? `${scheme} ${REDACTED}` : REDACTED));
    }
    return out;
  }

  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 5 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactValue(v, depth + 1)]));
  }
}

/** A logger that passes every message and attribute through the redactor first. */
export function redactingLogger(logger: PaymentLogger, redactor: SecretRedactor): PaymentLogger {
  const wrap =
    (level: keyof PaymentLogger) =>
    (message: string, ...attributes: Record<string, unknown>[]): void => {
      logger[level](redactor.redact(message), ...attributes.map((a) => redactor.redactValue(a) as Record<string, unknown>));
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
