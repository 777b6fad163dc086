import { afterAll, describe, expect, it } from 'vitest';
import { ShellSession } from './shell-session';

const shell = new ShellSession({ cwd: process.cwd(), env: { PATH: process.env['PATH'] ?? '' } });
afterAll(() => shell.close());

describe('ShellSession', () => {
  it("runs commands one after the other in one bash, keeping variables, with each one's output and status", async () => {
    expect(await shell.run('X=hello')).toEqual({ output: '', status: 0 });
    expect(await shell.run('echo "$X world"')).toEqual({ output: 'hello world', status: 0 });
    expect(await shell.run("printf 'no newline'")).toEqual({ output: 'no newline', status: 0 });
    expect(await shell.run('echo oops >&2; false')).toEqual({ output: 'oops', status: 1 });
    expect(await shell.run('for i in 1 2; do echo $i; done \\\n  | cat')).toEqual({ output: '1\n2', status: 0 });
  });
});
