import { describe, expect, it } from 'vitest';
import { connectionsAt, rampPlan, targetAt } from './ramp-plan';
import { SCENARIOS, type Stage, stagesDuration } from './scenarios';

describe('targetAt', () => {
  it('ramps linearly within each stage, from 0', () => {
    const stages: Stage[] = [
      { duration: '10s', target: 100 },
      { duration: '10s', target: 100 },
      { duration: '10s', target: 0 },
    ];
    expect(targetAt(stages, 0)).toBe(0);
    expect(targetAt(stages, 5)).toBe(50);
    expect(targetAt(stages, 15)).toBe(100);
    expect(targetAt(stages, 25)).toBe(50);
    expect(targetAt(stages, 30)).toBe(0);
  });
});

describe('rampPlan', () => {
  it("keeps as many connections open at each step as the stages' target", () => {
    const stages = SCENARIOS.checkout.stages;
    const plan = rampPlan(stages);
    const total = stagesDuration(stages);
    for (let t = 0.5; t < total; t += 1) expect(connectionsAt(plan, t), `t=${t}`).toBe(Math.round(targetAt(stages, t)));
    expect(Math.max(...plan.map((g) => g.endSeconds))).toBe(total);
    expect(Math.max(...Array.from({ length: total }, (_, i) => connectionsAt(plan, i + 0.5)))).toBe(200);
  });

  it('opens each connection once and for one interval when the stages rise then fall', () => {
    const plan = rampPlan(SCENARIOS.checkout.stages);
    expect(plan.reduce((sum, g) => sum + g.connections, 0)).toBe(200);
    for (const group of plan) {
      expect(group.endSeconds).toBeGreaterThan(group.startSeconds);
      expect(group.connections).toBeGreaterThan(0);
    }
  });

  it('reopens connections for a second peak', () => {
    const stages: Stage[] = [
      { duration: '2s', target: 4 },
      { duration: '2s', target: 0 },
      { duration: '2s', target: 4 },
    ];
    const plan = rampPlan(stages);
    for (let t = 0.5; t < 6; t += 1) expect(connectionsAt(plan, t), `t=${t}`).toBe(Math.round(targetAt(stages, t)));
    // the users of the first peak close, others open for the second
    expect(plan.reduce((sum, g) => sum + g.connections, 0)).toBeGreaterThan(4);
  });

  it('is a constant group for a flat stage', () => {
    expect(rampPlan([{ duration: '0s', target: 5 }, { duration: '10s', target: 5 }])).toEqual([{ startSeconds: 0, endSeconds: 10, connections: 5 }]);
  });
});
