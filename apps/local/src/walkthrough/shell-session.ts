import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/**
 * One bash process the walkthrough's commands run in, one after the other, as a reader pastes
 * them into a terminal: variables set by one command are there for the next. Each command's
 * stdout and stderr come back together, up to a marker line with its exit code.
 */
export class ShellSession {
  private readonly bash: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: (() => void) | undefined;
  private sequence = 0;

  constructor(options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const take = (chunk: Buffer) => {
      this.buffer += chunk.toString();
      this.waiting?.();
    };
    this.bash.stdout.on('data', take);
    this.bash.stderr.on('data', take);
    this.bash.stdin.write('exec 2>&1\n');
  }

  /** Runs `command`; its output (without a trailing newline) and exit status. */
  async run(command: string, timeoutMs = 60_000): Promise<{ output: string; status: number }> {
    const marker = `__walkthrough_done_${++this.sequence}__`;
    this.buffer = '';
    // printf after a newline: a command whose output does not end in one still ends before the marker.
    this.bash.stdin.write(`${command}\nprintf '\\n${marker} %s\\n' "$?"\n`);
    const pattern = new RegExp(`\\n?${marker} (\\d+)\\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.buffer);
      if (match) {
        const output = this.buffer.slice(0, match.index).replace(/\n$/, '');
        return { output, status: Number(match[1]) };
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${command}\n${this.buffer.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 200).unref();
      });
    }
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill();
  }
}
