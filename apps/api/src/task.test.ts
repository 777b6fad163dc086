import { PriceCartTaskInputSchema, ValidationError } from '@orderflow/contracts';
import { OutOfStockError } from '@orderflow/inventory';
import { PaymentDeclinedError, PaymentProviderUnavailableError } from '@orderflow/payments';
import { describe, expect, it } from 'vitest';
import { TaskInputError, workflowTask, WorkflowTaskError } from './task';

const correlation = { executionName: 'cust-1-req', requestId: 'req' };
const payload = { orderId: 'ord_0123456789abcdef', customerId: 'cust-1', items: [{ productId: 'mug', quantity: 1 }], correlation };

async function failure(run: () => Promise<unknown>): Promise<WorkflowTaskError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowTaskError);
  return error as WorkflowTaskError;
}

describe('workflowTask', () => {
  it('parses the payload and returns the use case result', async () => {
    const task = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => ({ lines: input.items.length }));
    await expect(task(payload)).resolves.toEqual({ lines: 1 });
  });

  it('hands a business error to Step Functions by name, with its catalogue response as message', async () => {
    const task = workflowTask('reserve-line', PriceCartTaskInputSchema, async () => {
      throw new OutOfStockError({ productId: 'mug', requested: 3, available: 1 });
    });
    const error = await failure(() => task(payload));
    expect(error.name).toBe('OutOfStockError');
    const response = JSON.parse(error.message) as { statusCode: number; body: { error: { code: string; details: unknown[] } } };
    expect(response.statusCode).toBe(409);
    expect(response.body.error.code).toBe('OUT_OF_STOCK');
    expect(JSON.stringify(response.body.error.details)).toContain('mug');
  });

  it('keeps the decline code of a declined payment', async () => {
    const task = workflowTask('authorize-payment', PriceCartTaskInputSchema, async () => {
      throw new PaymentDeclinedError('stripe', 'insufficient_funds', 'Your card has insufficient funds.');
    });
    const error = await failure(() => task(payload));
    expect(error.name).toBe('PaymentDeclinedError');
    expect(JSON.parse(error.message)).toMatchObject({ statusCode: 402, body: { error: { code: 'PAYMENT_DECLINED', declineCode: 'insufficient_funds' } } });
  });

  it('lets transient errors keep their retryable name, with a generic body', async () => {
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput. at secret'), {
      name: 'ProvisionedThroughputExceededException',
    });
    const task = workflowTask('save-order', PriceCartTaskInputSchema, async () => {
      throw throttled;
    });
    const error = await failure(() => task(payload));
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(JSON.parse(error.message)).toEqual({ statusCode: 500, body: { error: { code: 'INTERNAL', message: expect.any(String) } } });
    expect(error.message).not.toContain('secret');
  });

  it('maps an unavailable provider to 503', async () => {
    const task = workflowTask('capture-payment', PriceCartTaskInputSchema, async () => {
      throw new PaymentProviderUnavailableError('stripe', 'timeout', 'timed out');
    });
    const error = await failure(() => task(payload));
    expect(error.name).toBe('PaymentProviderUnavailableError');
    expect(JSON.parse(error.message)).toMatchObject({ statusCode: 503 });
  });

  it('treats a payload that breaks its schema as an internal fault, not the client’s', async () => {
    const task = workflowTask('price-cart', PriceCartTaskInputSchema, async () => 'never');
    const error = await failure(() => task({ ...payload, orderId: 'nope' }));
    expect(error.name).toBe('TaskInputError');
    expect(JSON.parse(error.message)).toMatchObject({ statusCode: 500 });
    expect(new TaskInputError('t', [])).toBeInstanceOf(Error);
  });

  it('passes a client validation error through as 400', async () => {
    const task = workflowTask('price-cart', PriceCartTaskInputSchema, async () => {
      throw new ValidationError('The cart mixes currencies.', [{ path: 'items[1].productId', message: 'EUR' }]);
    });
    const error = await failure(() => task(payload));
    expect(JSON.parse(error.message)).toMatchObject({ statusCode: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  });
});
