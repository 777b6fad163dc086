import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, NetworkError } from './api-client';

type Call = { url: string; init: RequestInit };

function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
}

describe('ApiClient', () => {
  it("sends the checkout with the customer's token and the attempt's Idempotency-Key", async () => {
    const calls: Call[] = [];
    const api = new ApiClient('', () => 'tok', fakeFetch(201, { orderId: 'ord_1' }, calls));
    expect(await api.placeOrder([{ productId: 'mug', quantity: 1 }], { method: 'card', paymentMethodId: 'pm_card_visa' }, 'key-1')).toEqual({ orderId: 'ord_1' });
    expect(calls[0]?.url).toBe('/orders');
    expect(calls[0]?.init.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer tok', 'Idempotency-Key': 'key-1' });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ items: [{ productId: 'mug', quantity: 1 }], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
  });

  it('pages products without a token and my orders with one', async () => {
    const calls: Call[] = [];
    const signedOut = new ApiClient('https://api.example', () => undefined, fakeFetch(200, { items: [], nextToken: null }, calls));
    await signedOut.listProducts('abc', 12);
    expect(calls[0]?.url).toBe('https://api.example/products?limit=12&nextToken=abc');
    expect(calls[0]?.init.headers).toEqual({});
  });

  it("keeps the catalogue's error as an ApiError, and no answer as a NetworkError", async () => {
    const declined = new ApiClient('', () => 't', fakeFetch(402, { error: { code: 'PAYMENT_DECLINED', message: 'Declined.', declineCode: 'expired_card' } }));
    const error = await declined.order('ord_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 402, code: 'PAYMENT_DECLINED', declineCode: 'expired_card' });
    const broken = new ApiClient('', () => 't', fakeFetch(502, undefined));
    expect(await broken.order('ord_1').catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'INTERNAL' });
    const offline = new ApiClient('', () => 't', (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch);
    expect(await offline.order('ord_1').catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
  });
});
