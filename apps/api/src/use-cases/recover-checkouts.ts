import type { CheckoutWorkflowInput } from '@orderflow/contracts';

/**
 * A checkout whose execution died (killed, timed out, crashed while compensating) leaves its
 * claim in flight: IN_PROGRESS, its lock expired. Whether or not its client ever comes back,
 * nothing it holds may stay held: this job finds those claims by the records they left and
 * resumes each one — it starts the checkout again with the request and claim key the claim
 * recorded, and that execution takes the claim over exactly as a client's retry would: it goes
 * forward with the same order (the money and stock it finds are the ones it uses) or, if the
 * first execution had decided to reject, finishes that compensation.
 */

/** A claim in flight whose lock has expired, as read (the job validates it). */
export interface InFlightCheckout {
  key: { PK: string; SK: string };
  orderId: string | undefined;
  customerId: string | undefined;
  claimKey: string | undefined;
  /** JSON text of the normalized request. */
  request: string | undefined;
  /** How many executions took it over already. */
  attempts: number;
  /** Epoch seconds. */
  lockExpiresAt: number;
}

/** Port: the claims in flight (DynamoDbInFlightCheckouts: GSI1 `CHECKOUT`). */
export interface InFlightCheckouts {
  /** Claims still IN_PROGRESS whose lock expired before `now`, oldest first, at most `limit`. */
  expired(now: Date, limit: number): Promise<InFlightCheckout[]>;
  /** Gives up on a claim (it leaves the in-flight index, marked for an operator); false if it was no longer in flight. */
  setAside(entry: InFlightCheckout, reason: string, now: Date): Promise<boolean>;
}

/** Port: starts a checkout execution (StepFunctionsCheckoutStarter: StartExecution). */
export interface CheckoutStarter {
  start(input: CheckoutWorkflowInput, name: string): Promise<{ executionArn: string }>;
}

export interface RecoveryOptions {
  now?: () => Date;
  /** Claims handled per pass. */
  limit?: number;
  /** Executions a claim may be given before it is set aside for an operator. */
  maxAttempts?: number;
  /** Executions started at once. */
  concurrency?: number;
}

export interface RecoveryResult {
  /** Checkouts resumed by a new execution: order id and execution. */
  resumed: { orderId: string; execution: string; attempt: number }[];
  /** Claims given up on (an operator's case: alarmed on), with why. */
  setAside: { key: string; reason: string }[];
  /** Claims that could not be resumed this time (tried again at the next pass). */
  failed: { key: string; error: string }[];
  /** Age in seconds of the oldest claim found expired (0: none): the backlog alarm's metric. */
  oldestExpiredSeconds: number;
}

/** A pass takes up to 500 claims, starting 10 executions at a time (a mass crash of one machine or zone is a few hundred). */
export const RECOVERY_DEFAULTS = { limit: 500, maxAttempts: 5, concurrency: 10 } as const;

/** The execution name of a recovery: unique per attempt, and says what it is. */
export function recoveryExecutionName(orderId: string, attempt: number): string {
  return `recover-${orderId}-${attempt}`;
}

export async function recoverCheckouts(
  checkouts: InFlightCheckouts,
  starter: CheckoutStarter,
  options: RecoveryOptions = {},
): Promise<RecoveryResult> {
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? RECOVERY_DEFAULTS.maxAttempts;
  const result: RecoveryResult = { resumed: [], setAside: [], failed: [], oldestExpiredSeconds: 0 };
  const at = now();
  const expired = await checkouts.expired(at, options.limit ?? RECOVERY_DEFAULTS.limit);
  const resume = async (entry: InFlightCheckout): Promise<void> => {
    const key = `${entry.key.PK}/${entry.key.SK}`;
    result.oldestExpiredSeconds = Math.max(result.oldestExpiredSeconds, Math.round(at.getTime() / 1000 - entry.lockExpiresAt));
    const request = parseRequest(entry.request);
    const reason =
      !entry.orderId || !entry.claimKey || !entry.customerId || request === undefined
        ? 'the claim does not hold what a resume needs (order id, claim key, customer, request)'
        : entry.attempts >= maxAttempts
          ? `${entry.attempts} executions took it over and none finished it`
          : undefined;
    if (reason !== undefined) {
      if (await checkouts.setAside(entry, reason, at)) result.setAside.push({ key, reason });
      return;
    }
    const attempt = entry.attempts + 1;
    const orderId = entry.orderId as string;
    const name = recoveryExecutionName(orderId, attempt);
    try {
      const started = await starter.start(
        { body: request, idempotencyKey: null, authorizedCustomerId: null, requestId: name, recovery: { claimKey: entry.claimKey as string } },
        name,
      );
      result.resumed.push({ orderId, execution: started.executionArn, attempt });
    } catch (error) {
      // ExecutionAlreadyExists: an earlier pass started this attempt, which has not taken the claim yet.
      result.failed.push({ key, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  };
  const concurrency = options.concurrency ?? RECOVERY_DEFAULTS.concurrency;
  for (let i = 0; i < expired.length; i += concurrency) await Promise.all(expired.slice(i, i + concurrency).map(resume));
  return result;
}

function parseRequest(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
