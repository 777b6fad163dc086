import { describe, expect, it } from 'vitest';
import { JsonPathNotFoundError, JsonPathSyntaxError, parseJsonPath, setAtPath } from './jsonpath';
import type { Json } from './json';

const doc: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99, isbn: 'x-1' },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', price: 8.99, isbn: 'x-2' },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'odd key': 1,
  empty: [],
};

const read = (path: string, value: Json = doc): Json => parseJsonPath(path).evaluate(value);

describe('JSONPath (Jayway semantics)', () => {
  it('reads definite paths with dot and bracket notation', () => {
    expect(read('$')).toBe(doc);
    expect(read('$.store.bicycle.color')).toBe('red');
    expect(read("$['store']['bicycle']['price']")).toBe(19.95);
    expect(read("$['odd key']")).toBe(1);
    expect(read('$.store.book[0].author')).toBe('Nigel Rees');
    expect(read('$.store.book[-1].title')).toBe('Moby Dick');
  });

  it('keeps a backslash in a bracket name unless it escapes the enclosing quote, as AWS does', () => {
    const quoted: Json = { 'say \\"hi\\"': 1, "it's": 2, 'say "hi"': 3 };
    expect(read("$['say \\\"hi\\\"']", quoted)).toBe(1);
    expect(read("$['it\\'s']", quoted)).toBe(2);
    expect(read('$["say \\"hi\\""]', quoted)).toBe(3);
  });

  it('returns lists for indefinite paths: wildcards, slices, unions, filters, deep scans', () => {
    expect(read('$.store.book[*].author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville']);
    expect(read('$.store.book[0:2].price')).toEqual([8.95, 12.99]);
    expect(read('$.store.book[:1].price')).toEqual([8.95]);
    expect(read('$.store.book[-2:].price')).toEqual([12.99, 8.99]);
    expect(read('$.store.book[0,2].title')).toEqual(['Sayings', 'Moby Dick']);
    expect(read('$.store.book[?(@.price < 10)].title')).toEqual(['Sayings', 'Moby Dick']);
    expect(read('$.store.book[?(@.isbn)].title')).toEqual(['Sword', 'Moby Dick']);
    expect(read("$.store.book[?(@.category == 'fiction' && @.price > 10)].title")).toEqual(['Sword']);
    expect(read('$.store.book[?(@.author =~ /.*Rees/)].price')).toEqual([8.95]);
    expect(read("$.store.book[?(@.category in ['reference'])].title")).toEqual(['Sayings']);
    expect(read('$..price')).toEqual([8.95, 12.99, 8.99, 19.95]);
    expect(read('$.store.*')).toHaveLength(2);
  });

  it('selects nothing (an empty list) when an indefinite path meets a missing node', () => {
    expect(read('$.item.items[1:5]', {})).toEqual([]);
    expect(read('$.items[*].itemValue', {})).toEqual([]);
    expect(read('$[*]', {})).toEqual([]);
    expect(read('$.empty[*]')).toEqual([]);
  });

  it('fails definite paths with Jayway messages', () => {
    expect(() => read('$.nothing')).toThrowError(new JsonPathNotFoundError("No results for path: $['nothing']"));
    expect(() => read('$.no.such.path')).toThrowError("Missing property in path $['no']");
    expect(() => read('$.store.book[7]')).toThrowError(JsonPathNotFoundError);
    expect(() => read('$.store.bicycle.color.x')).toThrowError(/Expected to find an object with property \['x'\]/);
  });

  it('knows the root kinds and definiteness', () => {
    expect(parseJsonPath('$$.Execution.Id').root).toEqual({ kind: 'context' });
    expect(parseJsonPath('$myVar.a').root).toEqual({ kind: 'variable', name: 'myVar' });
    expect(parseJsonPath('$.a[0]').definite).toBe(true);
    expect(parseJsonPath('$.a[*]').definite).toBe(false);
    expect(parseJsonPath('$.a.b[2]').referenceSteps()).toEqual(['a', 'b', 2]);
    expect(parseJsonPath('$..a').referenceSteps()).toBeUndefined();
  });

  it('rejects malformed paths', () => {
    expect(() => parseJsonPath('a.b')).toThrowError(JsonPathSyntaxError);
    expect(() => parseJsonPath('$.a[')).toThrowError(JsonPathSyntaxError);
    expect(() => parseJsonPath('$.a.length()')).toThrowError(/not supported/);
  });
});

describe('setAtPath (ResultPath)', () => {
  it('sets into a copy, creating missing objects, without touching the input', () => {
    const input: Json = { a: { b: 1 }, keep: true };
    const out = setAtPath(input, ['a', 'c', 'd'], 5);
    expect(out).toEqual({ a: { b: 1, c: { d: 5 } }, keep: true });
    expect(input).toEqual({ a: { b: 1 }, keep: true });
  });

  it('replaces array elements in range and refuses non-objects on the way', () => {
    expect(setAtPath({ list: [1, 2, 3] }, ['list', 1], 'x')).toEqual({ list: [1, 'x', 3] });
    expect(setAtPath({ list: [1] }, ['list', 4], 'x')).toBeUndefined();
    expect(setAtPath({ a: 'text' }, ['a', 'b'], 1)).toBeUndefined();
    expect(setAtPath('text', ['a'], 1)).toBeUndefined();
  });
});
