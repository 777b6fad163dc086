import type { ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';

/**
 * API Gateway's request validator for bodies: the model of the request's content type
 * (JSON Schema draft 4, as API Gateway uses) applied to the parsed body. API Gateway only
 * says "Invalid request body" to the client; the reasons are kept for the local log.
 */

export type BodyCheck = { ok: true; body: unknown } | { ok: false; messageString: string; reasons: string[] };

export class BodyValidators {
  private readonly ajv = new AjvDraft04({ allErrors: true, strict: false });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  check(schema: Record<string, unknown>, text: string): BodyCheck {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, messageString: 'Invalid request body', reasons: ['the body is not JSON'] };
    }
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(body)) return { ok: true, body };
    return {
      ok: false,
      messageString: 'Invalid request body',
      reasons: (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is not valid'}`),
    };
  }
}

/** `application/json; charset=utf-8` -> `application/json`; API Gateway assumes JSON without a Content-Type. */
export function mediaType(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === '') return 'application/json';
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
