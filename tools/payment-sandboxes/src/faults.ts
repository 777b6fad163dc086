import { z } from 'zod';

/**
 * Fault switches of a sandbox. Faults sit in front of the provider's API, like a load
 * balancer or the network: a request that hangs or gets an injected error never reached
 * the API (no state change, no idempotency record), unless `errorAfterProcessing` says
 * the request took effect and only its answer was lost.
 */
export const FaultSettingsSchema = z.strictObject({
  /** Extra delay before every matching request is handled. */
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  /** Share (0..1) of matching requests answered with `errorStatus` instead of the API's answer. */
  errorRate: z.number().min(0).max(1).optional(),
  /** Status of injected errors: 500 (default), 502, 503, 504 or 429. */
  errorStatus: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(429)]).optional(),
  /** The injected error comes after the request took effect (a lost response). */
  errorAfterProcessing: z.boolean().optional(),
  /** Share (0..1) of matching requests that never get an answer (until the client gives up). */
  hangRate: z.number().min(0).max(1).optional(),
  /** Only requests with this method and/or whose path starts with this prefix; all API requests by default. */
  match: z
    .strictObject({
      method: z.string().min(1).optional(),
      pathPrefix: z.string().min(1).optional(),
    })
    .optional(),
  /** Apply to the next N matching requests only, then switch off. */
  times: z.number().int().min(1).optional(),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export type FaultAction = 'none' | 'hang' | 'error-before' | 'error-after';

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
  status: number;
}

export interface FaultState {
  settings: FaultSettings | null;
  /** Matching requests the settings still apply to, when `times` was given. */
  remaining: number | null;
}

const NO_FAULT: FaultDecision = { latencyMs: 0, action: 'none', status: 0 };

/** Holds the fault settings of one sandbox and decides, per request, what to inject. */
export class FaultController {
  private settings: FaultSettings | null = null;
  private remaining: number | null = null;

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the settings. Throws a ZodError for settings that make no sense. */
  set(settings: FaultSettings): void {
    const parsed = FaultSettingsSchema.parse(settings);
    this.settings = parsed;
    this.remaining = parsed.times ?? null;
  }

  clear(): void {
    this.settings = null;
    this.remaining = null;
  }

  get(): FaultState {
    return { settings: this.settings, remaining: this.remaining };
  }

  decide(method: string, path: string): FaultDecision {
    const s = this.settings;
    if (!s) return NO_FAULT;
    if (s.match?.method && s.match.method.toUpperCase() !== method.toUpperCase()) return NO_FAULT;
    if (s.match?.pathPrefix && !path.startsWith(s.match.pathPrefix)) return NO_FAULT;
    if (this.remaining !== null) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.clear();
    }
    const latencyMs = s.latencyMs ?? 0;
    const status = s.errorStatus ?? 500;
    if (s.hangRate && this.random() < s.hangRate) return { latencyMs, action: 'hang', status: 0 };
    if (s.errorRate && this.random() < s.errorRate) {
      return { latencyMs, action: s.errorAfterProcessing ? 'error-after' : 'error-before', status };
    }
    return { latencyMs, action: 'none', status: 0 };
  }
}
