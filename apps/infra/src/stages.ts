import type { StackSettings } from './stack-config';

/**
 * The deployment stages: one typed configuration each, applied under any `-c orderflow:<key>`
 * given on the command line. `npm run deploy -- --stage <name>` and `npm run synth -- --stage
 * <name>` pick one; the stack is then `Orderflow-<name>`, so stages share an account.
 */
export interface Stage {
  /** A production stage is never destroyed by `npm run destroy`, and keeps its data. */
  production: boolean;
  description: string;
  settings: StackSettings;
}

export const STAGES = {
  dev: {
    production: false,
    description: 'a developer stage: short log retention, everything deleted with the stack, lenient alarms, every state and INFO line logged, releases at once',
    settings: {
      logRetentionDays: 7,
      stateMachineLogLevel: 'ALL',
      functionLogLevel: 'INFO',
      lambdaSystemLogLevel: 'INFO',
      dataRemoval: 'destroy',
      checkoutLatencyP95Ms: 5_000,
      serverErrorRatePercent: 5,
      compensationBacklogMinutes: 15,
      throttleRateLimit: 20,
      throttleBurstLimit: 40,
      checkoutThrottleRateLimit: 10,
      checkoutThrottleBurstLimit: 20,
      loadTestClient: true,
      releaseType: 'ALL_AT_ONCE',
    },
  },
  prod: {
    production: true,
    description: 'production: logs kept 90 days, data retained, alarms at the SLO, no load-test client, errors-only workflow and function logs, canary releases (10% for 10 min)',
    settings: {
      logRetentionDays: 90,
      stateMachineLogLevel: 'ERROR',
      functionLogLevel: 'WARN',
      lambdaSystemLogLevel: 'WARN',
      dataRemoval: 'retain',
      checkoutLatencyP95Ms: 3_000,
      serverErrorRatePercent: 1,
      compensationBacklogMinutes: 5,
      loadTestClient: false,
      releaseType: 'CANARY',
      releasePercent: 10,
      releaseIntervalMinutes: 10,
    },
  },
} as const satisfies Record<string, Stage>;

export type StageName = keyof typeof STAGES;

export function isStageName(name: string): name is StageName {
  return Object.hasOwn(STAGES, name);
}

export class UnknownStageError extends Error {
  override name = 'UnknownStageError';
  constructor(stage: string) {
    super(`unknown stage "${stage}": one of ${Object.keys(STAGES).join(', ')}`);
  }
}

export function stageNamed(name: string): Stage {
  if (!isStageName(name)) throw new UnknownStageError(name);
  return STAGES[name];
}

/** The stack of a stage: `Orderflow-<stage>`; without a stage, `Orderflow` (the local stack's and the tests'). */
export function stackIdFor(stage: string | undefined): string {
  return stage ? `Orderflow-${stage}` : 'Orderflow';
}
