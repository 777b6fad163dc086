import { once } from 'node:events';
import { childSurvivesKilledParent, isProcessAlive, startParentOfChild } from '@orderflow/testing';
import { describe, expect, it } from 'vitest';
import { startTiedChild } from './tied-child';

const packageDir = new URL('..', import.meta.url).pathname;
const node = process.execPath;

describe('startTiedChild', () => {
  it('collects what the child writes and stops it with SIGTERM', async () => {
    const tied = startTiedChild(node, ['-e', "console.log('out'); console.error('err'); setInterval(() => {}, 1000)"], { cwd: packageDir });
    while (!tied.output().includes('err') || !tied.output().includes('out')) await new Promise((r) => setTimeout(r, 20));
    await tied.stop();
    expect(tied.child.pid !== undefined && isProcessAlive(tied.child.pid)).toBe(false);
    // Under setpriv the child is the exec'd node itself, so the signal is the one sent.
    expect(tied.child.signalCode ?? tied.child.exitCode).toBe('SIGTERM');
  });

  it('leaves stdout to the caller when told to', async () => {
    const tied = startTiedChild(node, ['-e', "console.log('ready'); console.error('noise')"], { cwd: packageDir, captureStdout: false });
    const [line] = (await once(tied.child.stdout, 'data')) as [Buffer];
    expect(line.toString()).toBe('ready\n');
    await once(tied.child, 'exit');
    expect(tied.output()).toBe('noise\n');
    await tied.stop();
  });

  it('SIGKILLs a child that ignores SIGTERM once the grace period is over', async () => {
    const ignoring = "process.on('SIGTERM', () => console.log('ignored')); console.log('armed'); setInterval(() => {}, 1000)";
    const tied = startTiedChild(node, ['-e', ignoring], { cwd: packageDir, stopGraceMs: 300 });
    while (!tied.output().includes('armed')) await new Promise((r) => setTimeout(r, 20));
    await tied.stop();
    expect(tied.child.signalCode).toBe('SIGKILL');
    expect(tied.output()).toContain('ignored');
  });

  it.runIf(process.platform === 'linux')('dies with a parent that is SIGKILLed (no exit hook runs)', async () => {
    const script = `
      import { startTiedChild } from './src/tied-child.ts';
      const tied = startTiedChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: process.cwd() });
      console.log(JSON.stringify({ pid: tied.child.pid }));
      setInterval(() => undefined, 1000);
    `;
    const { parent, childPid } = await startParentOfChild(script, packageDir);
    expect(isProcessAlive(childPid)).toBe(true);
    expect(await childSurvivesKilledParent(parent, childPid)).toBe(false);
  });
});
