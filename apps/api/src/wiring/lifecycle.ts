/**
 * Adapters and clients are created on first use and kept for the life of the process (a
 * Lambda execution environment), as AWS recommends for SDK clients. Each concern of
 * `src/wiring/` builds its own, so a handler's bundle holds only the adapters it imports
 * (`get-order` carries no Stripe, PayPal or EventBridge client).
 */

const resets = new Set<() => void>();

/** Registers how a concern forgets what it built (see resetWiring). */
export function onResetWiring(reset: () => void): void {
  resets.add(reset);
}

/** Forget every adapter and client built so far, releasing connections (tests that change the environment). */
export function resetWiring(): void {
  for (const reset of resets) reset();
}

/** A value built on first use and kept for the process; `dispose` runs when the wiring is reset. */
export function processSingleton<T>(create: () => T, dispose?: (value: T) => void): () => T {
  let value: { current: T } | undefined;
  onResetWiring(() => {
    if (value && dispose) dispose(value.current);
    value = undefined;
  });
  return () => {
    value ??= { current: create() };
    return value.current;
  };
}
