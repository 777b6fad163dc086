import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { CheckoutRequestSchema } from './http';
import { apiGatewayModelSchema, toJsonSchema } from './json-schema';
import { renderJsonSchemaFiles } from './json-schema-files';

const samples: unknown[] = [
  { customerId: 'cust-42', items: [{ productId: 'mug-classic', quantity: 2 }], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } },
  { customerId: 'cust-42', items: [{ productId: 'mug', quantity: 1 }], payment: { method: 'paypal', paypalOrderId: '5O190127TN364715T' } },
  { customerId: 'cust-42', items: [], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } },
  { customerId: 'cust-42', items: [{ productId: 'mug', quantity: 0 }], payment: { method: 'card', paymentMethodId: 'pm_x' } },
  { customerId: 'cust-42', items: [{ productId: 'mug', quantity: 1 }], payment: { method: 'cash' } },
  { customerId: 'cust-42', items: [{ productId: 'mug', quantity: 1, price: 5 }], payment: { method: 'card', paymentMethodId: 'pm_x' } },
  { items: [{ productId: 'mug', quantity: 1 }] },
  'not an object',
];

describe('JSON Schema generated from zod', () => {
  it('agrees with zod on valid and invalid checkout requests (2020-12 and the API Gateway draft-04 model)', () => {
    const validate2020 = new Ajv2020({ strict: false }).compile(toJsonSchema(CheckoutRequestSchema));
    const validate04 = new AjvDraft04({ strict: false }).compile(apiGatewayModelSchema(CheckoutRequestSchema, 'CheckoutRequest'));
    for (const sample of samples) {
      const expected = CheckoutRequestSchema.safeParse(sample).success;
      expect(validate2020(sample), JSON.stringify(sample)).toBe(expected);
      expect(validate04(sample), JSON.stringify(sample)).toBe(expected);
    }
  });

  it('is committed up to date (npm run generate-json-schema -w @orderflow/contracts)', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'json-schema');
    for (const [file, text] of Object.entries(renderJsonSchemaFiles())) {
      expect(readFileSync(join(dir, file), 'utf8'), file).toBe(text);
    }
  });
});
