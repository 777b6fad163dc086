import { describe, expect, it } from 'vitest';
import { type CheckoutAccount, coveredMs, mixMean } from './accounting';
import { CHECKOUT_MIX } from './scenarios';

describe('coveredMs', () => {
  it('counts overlapping intervals once', () => {
    expect(coveredMs([])).toBe(0);
    expect(
      coveredMs([
        { startMs: 0, endMs: 10 },
        { startMs: 5, endMs: 12 },
        { startMs: 20, endMs: 25 },
        { startMs: 21, endMs: 22 },
      ]),
    ).toBe(17);
  });
});

describe('mixMean', () => {
  it('weights each cart size by its share of the mix', () => {
    const account = (lines: number, value: number) => ({ lines, latencyMs: value }) as unknown as CheckoutAccount;
    const accounts = [account(1, 10), account(1, 20), account(2, 40), account(3, 100)];
    const [one, two, three] = CHECKOUT_MIX.lines.map((l) => l.share) as [number, number, number];
    expect(mixMean(accounts, (a) => a.latencyMs)).toBeCloseTo(15 * one + 40 * two + 100 * three);
    // a size without samples is left out and the rest reweighted
    expect(mixMean([account(1, 10), account(2, 40)], (a) => a.latencyMs)).toBeCloseTo((10 * one + 40 * two) / (one + two));
    expect(mixMean([], (a) => a.latencyMs)).toBeNaN();
  });
});
