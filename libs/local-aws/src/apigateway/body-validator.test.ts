import { describe, expect, it } from 'vitest';
import { BodyValidators, mediaType } from './body-validator';

const schema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  properties: { quantity: { type: 'integer', minimum: 1 } },
  required: ['quantity'],
  additionalProperties: false,
};

describe('BodyValidators', () => {
  const validators = new BodyValidators();
  it('passes a body the model accepts, parsed', () => {
    expect(validators.check(schema, '{"quantity":2}')).toEqual({ ok: true, body: { quantity: 2 } });
  });
  it('says only "Invalid request body" to the client, like API Gateway, and keeps the reasons', () => {
    const bad = validators.check(schema, '{"quantity":0,"x":1}');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.messageString).toBe('Invalid request body');
    expect(bad.reasons.join('; ')).toMatch(/additional properties/);
    expect(bad.reasons.join('; ')).toMatch(/>= 1/);
    expect(validators.check(schema, '{"quantity":')).toMatchObject({ ok: false, reasons: ['the body is not JSON'] });
  });
});

describe('mediaType', () => {
  it('drops parameters and assumes JSON without a Content-Type, as API Gateway does', () => {
    expect(mediaType('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaType(undefined)).toBe('application/json');
    expect(mediaType('')).toBe('application/json');
    expect(mediaType('text/plain')).toBe('text/plain');
  });
});
