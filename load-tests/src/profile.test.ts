import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './probe-client';
import { placeOf, summarizeProfile } from './profile';

const ROOT = '/repo';

describe('placeOf', () => {
  it('names the project, package or bucket of a frame', () => {
    expect(placeOf('file:///repo/libs/state-machine-runtime/src/runtime.ts', 'run', ROOT)).toBe('libs/state-machine-runtime');
    expect(placeOf('file:///repo/node_modules/@smithy/core/dist-cjs/index.js', 'x', ROOT)).toBe('@smithy/core');
    expect(placeOf('file:///repo/node_modules/jsonata/jsonata.js', 'evaluate', ROOT)).toBe('jsonata');
    expect(placeOf('node:internal/async_hooks', 'emitHook', ROOT)).toBe('node (core)');
    expect(placeOf('', '(garbage collector)', ROOT)).toBe('(garbage collection)');
    expect(placeOf('', '(idle)', ROOT)).toBe('(idle)');
  });
});

describe('summarizeProfile', () => {
  it('adds self time by place and function, and by the nearest project frame on the stack', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6] },
        { id: 2, callFrame: frame('execute', 'file:///repo/libs/state-machine-runtime/src/a.ts'), children: [3] },
        { id: 3, callFrame: frame('send', 'file:///repo/node_modules/@smithy/core/index.js'), children: [4] },
        { id: 4, callFrame: frame('sign', 'file:///repo/node_modules/@smithy/signature-v4/index.js') },
        { id: 5, callFrame: frame('(idle)', '') },
        { id: 6, callFrame: frame('(garbage collector)', '') },
      ],
      startTime: 0,
      endTime: 10_000,
      // samples stand for the time up to the next one (timeDeltas[i + 1])
      samples: [3, 4, 4, 5, 6, 2],
      timeDeltas: [0, 1000, 2000, 1000, 3000, 1000],
    };
    const summary = summarizeProfile(profile, ROOT);
    expect(summary.totalMs).toBe(10);
    expect(summary.busyMs).toBe(7); // 3 ms idle
    expect(Object.fromEntries(summary.byPlace.map((p) => [p.name, p.ms]))).toEqual({ '@smithy/signature-v4': 3, '@smithy/core': 1, '(garbage collection)': 1 });
    expect(summary.byOwner.find((o) => o.name === 'libs/state-machine-runtime')?.ms).toBe(4);
    // inclusive: runtime 4 ms (its frames and what it called), @smithy/core 4 ms (sign below it)
    expect(Object.fromEntries(summary.onStack.map((p) => [p.name, p.ms]))).toMatchObject({
      'libs/state-machine-runtime': 4,
      '@smithy/core': 4,
      '@smithy/signature-v4': 3,
    });
    expect(summary.topFunctions[0]).toMatchObject({ name: 'sign @smithy/signature-v4:1', ms: 3 });
  });
});
