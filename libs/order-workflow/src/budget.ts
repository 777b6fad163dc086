import { MAX_CART_LINES } from '@orderflow/contracts';
import type { AslDefinition, AslState } from './checkout-definition';

/**
 * The synchronous budget of the checkout. API Gateway gives an integration at most 29 s;
 * the workflow's worst case, with every transient error retried to exhaustion, must fit
 * under it with room for the work itself.
 */
export const API_GATEWAY_TIMEOUT_SECONDS = 29;

/**
 * Time kept for the work itself on the success path: about 20 transitions, 8 Lambda calls
 * of tens of milliseconds each, and 2 payment provider calls of up to 3 s each.
 */
export const WORK_RESERVE_SECONDS = 9;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

export interface StateCost {
  state: string;
  /** Longest total wait between attempts (full jitter draws below these bounds). */
  retryWaitSeconds: number;
  /** Most attempts of the state's work. */
  attempts: number;
  /** Attempts times the task's TimeoutSeconds: every attempt hanging to its timeout. */
  timeoutBoundSeconds: number;
}

export interface PathCost {
  path: string[];
  retryWaitSeconds: number;
  attempts: number;
  timeoutBoundSeconds: number;
}

/** Upper bound of the waits of one retrier (Step Functions defaults: 1 s, 3 attempts, rate 2). */
export function retrierWaitSeconds(retrier: Retrier): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const attempts = retrier.MaxAttempts ?? 3;
  const rate = retrier.BackoffRate ?? 2;
  let total = 0;
  for (let k = 0; k < attempts; k++) {
    const delay = interval * rate ** k;
    total += retrier.MaxDelaySeconds === undefined ? delay : Math.min(retrier.MaxDelaySeconds, delay);
  }
  return total;
}

export function stateCost(name: string, state: AslState, maxCartLines = MAX_CART_LINES): StateCost {
  if (state.Type === 'Map') {
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as AslDefinition;
    const inner = longestPath(processor, maxCartLines);
    const waves = Math.ceil(maxCartLines / Math.max(1, Number(state['MaxConcurrency'] ?? maxCartLines) || maxCartLines));
    return {
      state: name,
      retryWaitSeconds: inner.retryWaitSeconds * waves,
      attempts: inner.attempts * waves,
      timeoutBoundSeconds: inner.timeoutBoundSeconds * waves,
    };
  }
  if (state.Type !== 'Task') return { state: name, retryWaitSeconds: 0, attempts: 0, timeoutBoundSeconds: 0 };
  const retriers = (state['Retry'] ?? []) as Retrier[];
  const attempts = 1 + retriers.reduce((sum, r) => sum + (r.MaxAttempts ?? 3), 0);
  const timeout = Number(state['TimeoutSeconds'] ?? 60);
  return {
    state: name,
    retryWaitSeconds: retriers.reduce((sum, r) => sum + retrierWaitSeconds(r), 0),
    attempts,
    timeoutBoundSeconds: attempts * timeout,
  };
}

function successors(state: AslState): string[] {
  const next: string[] = [];
  if (typeof state['Next'] === 'string') next.push(state['Next']);
  if (typeof state['Default'] === 'string') next.push(state['Default']);
  for (const choice of (state['Choices'] ?? []) as { Next: string }[]) next.push(choice.Next);
  for (const catcher of (state['Catch'] ?? []) as { Next: string }[]) next.push(catcher.Next);
  return [...new Set(next)];
}

/**
 * The path from StartAt to an end with the most retry waiting (loops are cut: a state is
 * not entered twice on one path). Costs are upper bounds, not predictions.
 */
export function longestPath(definition: AslDefinition, maxCartLines = MAX_CART_LINES): PathCost {
  const costs = new Map(Object.entries(definition.States).map(([name, state]) => [name, stateCost(name, state, maxCartLines)]));
  const memo = new Map<string, PathCost>();
  const visit = (name: string, onPath: Set<string>): PathCost => {
    const cached = memo.get(name);
    if (cached && onPath.size === 0) return cached;
    const state = definition.States[name];
    const own = costs.get(name);
    if (!state || !own) throw new Error(`unknown state ${name}`);
    onPath.add(name);
    let best: PathCost = { path: [], retryWaitSeconds: 0, attempts: 0, timeoutBoundSeconds: 0 };
    for (const next of successors(state)) {
      if (onPath.has(next)) continue;
      const candidate = visit(next, onPath);
      if (candidate.retryWaitSeconds + candidate.attempts > best.retryWaitSeconds + best.attempts) best = candidate;
    }
    onPath.delete(name);
    return {
      path: [name, ...best.path],
      retryWaitSeconds: own.retryWaitSeconds + best.retryWaitSeconds,
      attempts: own.attempts + best.attempts,
      timeoutBoundSeconds: own.timeoutBoundSeconds + best.timeoutBoundSeconds,
    };
  };
  return visit(definition.StartAt, new Set());
}

/** The cost of one given path (e.g. the success path), state by state. */
export function pathCost(definition: AslDefinition, path: readonly string[], maxCartLines = MAX_CART_LINES): PathCost {
  let retryWaitSeconds = 0;
  let attempts = 0;
  let timeoutBoundSeconds = 0;
  for (const name of path) {
    const state = definition.States[name];
    if (!state) throw new Error(`unknown state ${name}`);
    const cost = stateCost(name, state, maxCartLines);
    retryWaitSeconds += cost.retryWaitSeconds;
    attempts += cost.attempts;
    timeoutBoundSeconds += cost.timeoutBoundSeconds;
  }
  return { path: [...path], retryWaitSeconds, attempts, timeoutBoundSeconds };
}

/** The states an order goes through when it is placed (every checkout claims a key). */
export const SUCCESS_PATH = [
  'ReadRequest',
  'ValidateRequest',
  'CheckRequest',
  'NormalizeRequest',
  'ClaimIdempotencyKey',
  'PriceCart',
  'ReserveLines',
  'CheckReservations',
  'RoutePayment',
  'AuthorizeCardPayment',
  'SaveOrder',
  'CapturePayment',
  'RecordCapture',
  'PublishOrderPlaced',
  'RecordUnpublishedEvent',
  'BuildOrderResponse',
  'FinishIdempotency',
  'CompleteIdempotencyKey',
  'Respond',
] as const;
