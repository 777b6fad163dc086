import { describe, expect, it } from 'vitest';
import { progressPrinter } from './progress';

function fakeStream(isTTY: boolean) {
  let out = '';
  const stream = { isTTY, write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, output: () => out };
}

describe('progressPrinter', () => {
  it('redraws one counter line on a terminal', () => {
    const { stream, output } = fakeStream(true);
    const p = progressPrinter(stream);
    p.update({ phase: 'writing', written: 25, total: 50 });
    p.update({ phase: 'writing', written: 50, total: 50 });
    p.done();
    expect(output()).toBe('\r\x1b[2Kwriting items 25/50 (50%)\r\x1b[2Kwriting items 50/50 (100%)\n');
  });

  it('prints plain lines elsewhere', () => {
    const { stream, output } = fakeStream(false);
    const p = progressPrinter(stream);
    p.update({ phase: 'reading', products: 2 });
    p.update({ phase: 'writing', written: 4, total: 4 });
    p.done();
    expect(output()).toBe('reading 2 products from the table\nwriting items 4/4 (100%)\n');
  });
});
