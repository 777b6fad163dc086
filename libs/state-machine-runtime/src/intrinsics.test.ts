import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExecutionFailure } from './errors';
import { evaluateIntrinsic, IntrinsicSyntaxError, parseIntrinsic } from './intrinsics';
import type { Json } from './json';
import { resolvePath, type ValueScope } from './jsonpath-scope';

const input: Json = {
  name: 'Arnav',
  list: [1, 2, 2, 3, { a: 1 }, { a: 1 }],
  text: 'a,b;c',
  obj: { Arg1: 1, Arg2: [] },
  num: 41.5,
};
const scope: ValueScope = {
  input,
  contextObject: () => ({ Execution: { Name: 'exec-1' }, StateMachine: { Id: 'arn:sm', Name: 'sm' } }),
  lookupVariable: (name) => (name === 'greeting' ? 'hello' : undefined),
};
const run = (text: string): Json => evaluateIntrinsic(parseIntrinsic(text), (path) => resolvePath(path, scope), undefined);

describe('States.* intrinsic functions', () => {
  it('formats strings with {} placeholders, Java-style values and escapes', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)")).toBe('Hello, my name is Arnav.');
    expect(run("States.Format('{} and {}', $.obj, $.list)")).toBe('{Arg1=1, Arg2=[]} and [1, 2, 2, 3, {a=1}, {a=1}]');
    expect(run("States.Format('literal \\{\\} and {}', 'x')")).toBe('literal {} and x');
    expect(run("States.Format('It\\'s {}', $$.Execution.Name)")).toBe("It's exec-1");
    expect(run("States.Format('{}!', $greeting)")).toBe('hello!');
    expect(() => run("States.Format('{} {}', 'one')")).toThrowError(ExecutionFailure);
  });

  it('converts between JSON and strings', () => {
    expect(run("States.StringToJson('{\"a\": [1, 2]}')")).toEqual({ a: [1, 2] });
    expect(run("States.StringToJson(' ')")).toBeNull();
    expect(run('States.JsonToString($.obj)')).toBe('{"Arg1":1,"Arg2":[]}');
    expect(run("States.JsonMerge($.obj, States.StringToJson('{\"Arg2\": 2, \"Arg3\": 3}'), false)")).toEqual({ Arg1: 1, Arg2: 2, Arg3: 3 });
  });

  it('builds and inspects arrays', () => {
    expect(run("States.Array('a', 1, true, null, $.name)")).toEqual(['a', 1, true, null, 'Arnav']);
    expect(run('States.ArrayPartition($.list, 4)')).toEqual([[1, 2, 2, 3], [{ a: 1 }, { a: 1 }]]);
    expect(run('States.ArrayContains($.list, 3)')).toBe(true);
    expect(run("States.ArrayContains($.list, States.StringToJson('{\"a\":1}'))")).toBe(true);
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayGetItem($.list, 3)')).toBe(3);
    expect(run('States.ArrayLength($.list)')).toBe(6);
    expect(run('States.ArrayUnique($.list)')).toEqual([1, 2, 3, { a: 1 }]);
    expect(() => run('States.ArrayGetItem($.list, 9)')).toThrowError(/out of bounds/);
    expect(() => run('States.ArrayRange(0, 2000, 1)')).toThrowError(/1000/);
  });

  it('encodes, hashes, splits, adds and generates', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(run("States.Hash('input data', 'SHA-256')")).toBe(createHash('sha256').update('input data').digest('hex'));
    expect(run("States.Hash('input data', 'MD5')")).toBe(createHash('md5').update('input data').digest('hex'));
    expect(() => run("States.Hash('x', 'SHA-3')")).toThrowError(/algorithm/);
    expect(run("States.StringSplit($.text, ',;')")).toEqual(['a', 'b', 'c']);
    expect(run('States.MathAdd($.num, -1.5)')).toBe(41); // 42 + (-1): arguments are rounded first
    const random = run('States.MathRandom(1, 10)') as number;
    expect(random).toBeGreaterThanOrEqual(1);
    expect(random).toBeLessThanOrEqual(10);
    expect(run('States.MathRandom(1, 1000, 7)')).toBe(run('States.MathRandom(1, 1000, 7)'));
    expect(run('States.UUID()')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('nests calls', () => {
    expect(run("States.ArrayGetItem(States.StringSplit('a-b-c', '-'), States.MathAdd(States.ArrayLength(States.StringSplit('a-b-c', '-')), -1))")).toBe('c');
  });

  it('reports missing path arguments and type errors as States.Runtime', () => {
    try {
      run('States.ArrayLength($.nothing)');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
    }
    expect(() => run('States.ArrayLength($.name)')).toThrowError(ExecutionFailure);
  });

  it('rejects unknown functions and wrong arity when parsing', () => {
    expect(() => parseIntrinsic('States.Nope(1)')).toThrowError(IntrinsicSyntaxError);
    expect(() => parseIntrinsic('States.ArrayLength(1, 2)')).toThrowError(/takes 1 argument/);
    expect(() => parseIntrinsic("States.Format('unterminated)")).toThrowError(IntrinsicSyntaxError);
  });
});
