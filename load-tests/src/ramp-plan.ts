import { parseDuration, type Stage } from './scenarios';

/** A set of connections that all open at `startSeconds` and close at `endSeconds`. */
export interface ConnectionGroup {
  startSeconds: number;
  endSeconds: number;
  connections: number;
}

/** Virtual users the stages ask for at time `t` (linear within a stage, from 0 at the start, as k6 ramps). */
export function targetAt(stages: readonly Stage[], t: number): number {
  let from = 0;
  let start = 0;
  for (const stage of stages) {
    const length = parseDuration(stage.duration);
    if (t < start + length) return length === 0 ? stage.target : from + ((stage.target - from) * (t - start)) / length;
    from = stage.target;
    start += length;
  }
  return 0;
}

/**
 * k6's ramping virtual users as groups of constant connections: the stages are sampled every
 * `stepSeconds` (at the middle of each step); user k is connected while the target exceeds k.
 * Users with the same connected interval form a group, which the driver runs as one
 * autocannon instance from its start to its end. The groups overlap, so at every step the
 * open connections add up to the stages' target.
 */
export function rampPlan(stages: readonly Stage[], stepSeconds = 1): ConnectionGroup[] {
  const total = stages.reduce((sum, stage) => sum + parseDuration(stage.duration), 0);
  const steps = Math.ceil(total / stepSeconds - 1e-9);
  const targets = Array.from({ length: steps }, (_, i) => Math.round(targetAt(stages, Math.min((i + 0.5) * stepSeconds, total))));
  const peak = Math.max(0, ...targets);
  const groups = new Map<string, ConnectionGroup>();
  for (let user = 0; user < peak; user++) {
    let i = 0;
    while (i < steps) {
      if ((targets[i] ?? 0) <= user) {
        i++;
        continue;
      }
      const first = i;
      while (i < steps && (targets[i] ?? 0) > user) i++;
      const startSeconds = first * stepSeconds;
      const endSeconds = Math.min(i * stepSeconds, total);
      const key = `${startSeconds}-${endSeconds}`;
      const group = groups.get(key);
      if (group) group.connections += 1;
      else groups.set(key, { startSeconds, endSeconds, connections: 1 });
    }
  }
  return [...groups.values()].sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds);
}

/** Connections open at time `t` under a plan. */
export function connectionsAt(plan: readonly ConnectionGroup[], t: number): number {
  return plan.reduce((sum, g) => (t >= g.startSeconds && t < g.endSeconds ? sum + g.connections : sum), 0);
}
