import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from './ledger';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  dirs.push(dir);
  return join(dir, 'nested', 'ledger.jsonl');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Ledger', () => {
  it('in memory: tables keep what is put, nothing is written', () => {
    const ledger = Ledger.open();
    const t = ledger.table<{ n: number }>('things');
    t.put('a', { n: 1 });
    expect(t.get('a')).toEqual({ n: 1 });
    expect(ledger.file).toBeUndefined();
  });

  it('with a file: a reopened ledger has the last value of each id, deletions, and values changed in place then put again', () => {
    const file = tempFile();
    const first = Ledger.open({ file });
    const things = first.table<{ n: number }>('things');
    const value = { n: 1 };
    things.put('a', value);
    value.n = 2;
    things.put('a', value);
    things.put('b', { n: 3 });
    things.delete('b');
    first.table<string>('other').put('x', 'kept');
    // No close: a SIGKILL does not close files either.
    const again = Ledger.open({ file });
    expect([...again.table('things').entries()]).toEqual([['a', { n: 2 }]]);
    expect(again.table('other').get('x')).toBe('kept');
    again.close();
    first.close();
  });

  it('skips a line torn by a crash, and compacts the log to one line per live value when opened', () => {
    const file = tempFile();
    const ledger = Ledger.open({ file });
    const t = ledger.table<number>('n');
    for (let i = 0; i < 5; i++) t.put('same', i);
    ledger.close();
    appendFileSync(file, '{"t":"n","id":"torn","v":');
    const reopened = Ledger.open({ file });
    expect(reopened.table('n').get('same')).toBe(4);
    expect(reopened.table('n').has('torn')).toBe(false);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual(['{"t":"n","id":"same","v":4}']);
    reopened.close();
  });

  it('clear forgets every table, on disk too', () => {
    const file = tempFile();
    const ledger = Ledger.open({ file });
    ledger.table<number>('n').put('a', 1);
    ledger.clear();
    expect(ledger.table('n').size).toBe(0);
    ledger.table<number>('n').put('b', 2);
    ledger.close();
    expect([...Ledger.open({ file }).table('n').entries()]).toEqual([['b', 2]]);
  });
});
