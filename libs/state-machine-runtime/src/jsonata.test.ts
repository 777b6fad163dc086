import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { ExecutionFailure } from './errors';
import { compileJsonata, evaluateField, JsonataExpression, JsonataSyntaxError, JsonataTemplate } from './jsonata';
import { BAIL, compileFastPath } from './jsonata-fast-path';

const bindings = (input: unknown, vars: Record<string, unknown> = {}): Record<string, unknown> => ({ ...vars, states: { input } });

async function evaluate(text: string, input: unknown, vars: Record<string, unknown> = {}): Promise<unknown> {
  return compileJsonata(text).evaluate(bindings(input, vars));
}

describe('JSONata expressions', () => {
  it('evaluates against $states and variables', async () => {
    expect(await evaluate('$states.input.a + $b', { a: 2 }, { b: 3 })).toBe(5);
    expect(await evaluate('$count($states.input.items)', { items: [1, 2, 3] })).toBe(3);
    expect(await evaluate("$states.input.items[price > 5].name", { items: [{ name: 'x', price: 9 }, { name: 'y', price: 1 }] })).toBe('x');
  });

  it("adds AWS's functions", async () => {
    expect(await evaluate('$partition([1,2,3,4,5], 2)', {})).toEqual([[1, 2], [3, 4], [5]]);
    expect(await evaluate('$partition([1,2,3], 2.9)', {})).toEqual([[1, 2], [3]]);
    expect(await evaluate('$partition([], 2)', {})).toBeUndefined();
    expect(await evaluate('$range(0, 10, 3)', {})).toEqual([0, 3, 6, 9]);
    expect(await evaluate('$range(1, 9, 9)', {})).toBe(1); // a single value collapses, as on AWS
    expect(await evaluate('$range(5, 1, 1)', {})).toBeUndefined();
    expect(await evaluate("$hash('input data', 'SHA-256')", {})).toBe('b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3');
    expect(await evaluate("$parse('{\"a\": [1]}')", {})).toEqual({ a: [1] });
    expect(await evaluate('$uuid()', {})).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const r = (await evaluate('$random()', {})) as number;
    expect(r >= 0 && r < 1).toBe(true);
    expect(await evaluate('$random(42)', {})).toBe(await evaluate('$random(42)', {}));
  });

  it('disables $eval like AWS', async () => {
    await expect(evaluate("$eval('1+1')", {})).rejects.toMatchObject({ code: 'T1006' });
  });

  it('refuses top-level field references, $ and $$, and bad syntax when compiling', () => {
    expect(() => new JsonataExpression('phone')).toThrowError(/Reference to 'phone' at the top level/);
    expect(() => new JsonataExpression('$$.x')).toThrowError(/'\$\$' is not supported/);
    expect(() => new JsonataExpression('a[1,2)')).toThrowError(JsonataSyntaxError);
    expect(new JsonataExpression('$map($states.input.a, function($x){ $x.b })')).toBeInstanceOf(JsonataExpression);
  });

  it("fails fields with AWS's QueryEvaluationError wording", async () => {
    const undefinedField = async () => evaluateField(compileJsonata('$nothing'), 'Output/result', bindings({}));
    await expect(undefinedField()).rejects.toThrowError(
      "The JSONata expression '$nothing' specified for the field 'Output/result' returned nothing (undefined).",
    );
    // The synchronous path fails the same way.
    expect(() => evaluateField(compileJsonata('$states.input.nothing'), 'Output', bindings({}))).toThrowError(/returned nothing \(undefined\)/);
    await expect(evaluateField(compileJsonata('$nope()'), 'Arguments', bindings({}))).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: "The JSONata expression '$nope()' specified for the field 'Arguments' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    });
    await expect(evaluateField(compileJsonata('function($x){$x}'), 'Items', bindings({}))).rejects.toBeInstanceOf(ExecutionFailure);
  });

  it('evaluates templates: expressions anywhere in objects and arrays, literals kept', async () => {
    const template = new JsonataTemplate(
      { total: '{% $states.input.a * 2 %}', list: ['{% $states.input.a %}', 'literal {% not at start', 3], nested: { x: '{% $v %}' } },
      'Output',
    );
    expect(template.isConstant).toBe(false);
    expect(await template.evaluate(bindings({ a: 4 }, { v: 'V' }))).toEqual({ total: 8, list: [4, 'literal {% not at start', 3], nested: { x: 'V' } });
    expect(new JsonataTemplate({ a: 1 }, 'Output').isConstant).toBe(true);
  });
});

describe('the synchronous fast path', () => {
  // Every expression is evaluated both ways; the fast path must agree with jsonata or bail.
  const expressions = [
    '$states.input.a',
    '$states.input.a.b.c',
    '$states.input.list',
    '$states.input.list.x',
    '$states.input.missing.deeper',
    '$states.input.a + 1',
    '$states.input.n * $states.input.n - 3 / 2',
    '$states.input.n % 3',
    '$states.input.s + 1',
    '$states.input.missing + 1',
    '-$states.input.n',
    '$states.input.n > 2',
    '$states.input.n >= $states.input.m',
    "$states.input.s < 'zzz'",
    '$states.input.s < 1',
    '$states.input.n = 3',
    "$states.input.s != 'abc'",
    '$states.input.obj = $states.input.obj',
    '$states.input.n > 2 and $states.input.flag',
    '$states.input.missing or $states.input.list',
    "$states.input.s & '-' & $states.input.n",
    "$states.input.s & '-' & $states.input.missing",
    '$states.input.n > 2 ? "big" : "small"',
    '$states.input.zero ? 1',
    '{"a": $states.input.n, "b": $states.input.missing, "c": [1, $states.input.list, [2]]}',
    '[$states.input.list, 4]',
    '[]',
    '{}',
    '$v',
    '$v.inner',
    '$undefinedVar',
    'true',
    'null',
    '"text"',
    '1.5e3',
    '$states.input.constructor',
    '$states.input.empty',
  ];
  const inputs = [
    { a: { b: { c: 7 } }, n: 3, m: 3, s: 'abc', list: [1, 2, 3], obj: { k: 1 }, flag: true, zero: 0, empty: [] },
    { a: 1, n: 1.5, m: -2, s: '', list: [{ x: 1 }, { x: 2 }], obj: [], flag: 0, zero: '', empty: {} },
    { n: 'not a number', s: null, list: [], flag: [false] },
  ];

  for (const text of expressions) {
    it(`agrees with jsonata on ${text}`, async () => {
      const fast = compileFastPath(jsonata(text).ast());
      for (const input of inputs) {
        const b = { states: { input }, v: { inner: [1] } };
        let expected: unknown;
        let expectedError: unknown;
        try {
          expected = await jsonata(text).evaluate(undefined, b);
        } catch (error) {
          expectedError = error;
        }
        if (!fast) continue;
        const got = fast(b);
        if (got === BAIL) continue;
        expect(expectedError).toBeUndefined();
        expect(got).toEqual(expected);
      }
    });
  }

  it('covers the common shapes (they must not need jsonata)', () => {
    for (const text of ['$states.input.a.b', '$states.input.n + 1', '$states.input.n < 5 and $x = "y"', '{"k": $states.input.a, "l": [$v, 1]}']) {
      expect(compileFastPath(jsonata(text).ast()), text).toBeDefined();
    }
    expect(compileFastPath(jsonata('$count($states.input.a)').ast())).toBeUndefined();
  });
});
