/** What the probe in the stack's process reports (see probe/stack-probe.mjs). */
export interface CallStats {
  count: number;
  totalMs: number;
  errors: number;
}

export interface ProbeCounters {
  /** Outgoing calls by target: `dynamodb:PutItem`, `secretsmanager:GetSecretValue`, `http:127.0.0.1:4000`. */
  calls: Record<string, CallStats>;
  /** Requests the stack's HTTP server answered, and their total time. */
  inbound: { count: number; totalMs: number };
  /** CPU time so far, ms: the stack's process, and its child processes by command (`java`: DynamoDB Local). */
  cpu: { stackMs: number; childrenMs: Record<string, number> };
  nowMs: number;
}

export interface CapturedCall {
  /** `dynamodb`, `http`, `secretsmanager` */
  kind: string;
  target: string;
  startMs: number;
  endMs: number;
  status: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A CPU profile in the inspector's format (a `.cpuprofile` file for Chrome DevTools). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export class StackProbe {
  constructor(readonly url: string) {}

  counters(): Promise<ProbeCounters> {
    return this.call('GET', '/counters') as Promise<ProbeCounters>;
  }

  async startCapture(): Promise<void> {
    await this.call('POST', '/capture/start');
  }

  /** The calls since startCapture, their times in epoch milliseconds. */
  async stopCapture(): Promise<CapturedCall[]> {
    const { calls, timeOrigin } = (await this.call('POST', '/capture/stop')) as { calls: CapturedCall[]; timeOrigin: number };
    return calls.map((call) => ({ ...call, startMs: call.startMs + timeOrigin, endMs: call.endMs + timeOrigin }));
  }

  async startProfile(): Promise<void> {
    await this.call('POST', '/profile/start');
  }

  stopProfile(): Promise<CpuProfile> {
    return this.call('POST', '/profile/stop') as Promise<CpuProfile>;
  }

  private async call(method: string, path: string): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, { method });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new Error(`stack probe ${method} ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }
}

/** Calls made between two counter snapshots, by target. */
export function countersDelta(before: ProbeCounters, after: ProbeCounters): Record<string, CallStats> {
  const delta: Record<string, CallStats> = {};
  for (const [target, stats] of Object.entries(after.calls)) {
    const was = before.calls[target] ?? { count: 0, totalMs: 0, errors: 0 };
    const count = stats.count - was.count;
    if (count > 0) delta[target] = { count, totalMs: stats.totalMs - was.totalMs, errors: stats.errors - was.errors };
  }
  return delta;
}
