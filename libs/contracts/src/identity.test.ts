import { describe, expect, it } from 'vitest';
import { CheckoutRequestSchema } from './http';
import { claimList, principalFromClaims } from './identity';

describe('principalFromClaims', () => {
  it('takes the customer from sub and operators from cognito:groups, as a token or as API Gateway strings', () => {
    expect(principalFromClaims({ sub: 'cust-42' })).toEqual({ customerId: 'cust-42', operator: false });
    expect(principalFromClaims({ sub: 'ops-1', 'cognito:groups': ['operators'] })).toEqual({ customerId: 'ops-1', operator: true });
    expect(principalFromClaims({ sub: 'ops-1', 'cognito:groups': '[staff operators]' })?.operator).toBe(true);
    expect(principalFromClaims({ sub: 'ops-1', 'cognito:groups': 'staff,operators' })?.operator).toBe(true);
    expect(principalFromClaims({ sub: 'u', 'cognito:groups': 'operatorsx' })?.operator).toBe(false);
  });

  it('has no principal without a plain sub', () => {
    for (const claims of [undefined, null, {}, { sub: '' }, { sub: 'a b' }, { sub: 42 }, 'cust-42']) expect(principalFromClaims(claims)).toBeUndefined();
  });

  it('reads list claims in every form they come in', () => {
    expect(claimList(['a', 'b'])).toEqual(['a', 'b']);
    expect(claimList('[a b]')).toEqual(['a', 'b']);
    expect(claimList('a,b')).toEqual(['a', 'b']);
    expect(claimList('a')).toEqual(['a']);
    expect(claimList('')).toEqual([]);
    expect(claimList(undefined)).toEqual([]);
  });
});

describe('the per-line cap over several lines', () => {
  const body = (lines: { productId: string; quantity: number }[]) => ({ items: lines, payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
  it("holds for a product's total: 50 lines x 100 of one product are refused, 100 over two lines pass", () => {
    const fifty = CheckoutRequestSchema.safeParse(body(Array.from({ length: 50 }, () => ({ productId: 'mug', quantity: 100 }))));
    expect(fifty.success).toBe(false);
    expect(fifty.error?.issues.map((i) => i.message)).toContain('at most 100 of mug in all');
    expect(CheckoutRequestSchema.safeParse(body([{ productId: 'mug', quantity: 60 }, { productId: 'mug', quantity: 40 }])).success).toBe(true);
    expect(CheckoutRequestSchema.safeParse(body([{ productId: 'mug', quantity: 60 }, { productId: 'mug', quantity: 41 }])).success).toBe(false);
  });
});
