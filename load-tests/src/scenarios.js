// @ts-check
// The load scenarios, defined once: payloads, request mix, stages and thresholds. Imported by
// the k6 scripts (k6/*.js, k6's own JavaScript runtime) and by the Node driver (src/driver.ts).
// So: plain ES JavaScript, no Node or k6 imports, explicit `.js` extensions in imports.

/**
 * @typedef {{ duration: string, target: number }} Stage
 * @typedef {{ failureRate: number, p95Ms: number }} Thresholds
 * @typedef {{ method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string, expectedStatus: number, name: string }} ScenarioRequest
 * @typedef {{ productId: string, quantity: number }} CartLine
 * @typedef {{ method: 'card' | 'apple_pay', paymentMethodId: string }} CardPayment
 * @typedef {{ customerId: string, items: CartLine[], payment: CardPayment }} CheckoutBody
 * @typedef {{ customerId: string, token: string }} Credential a customer and an ID token of theirs (locally from POST /_local/auth/token; in AWS from the load-test users' pool)
 * @typedef {{
 *   name: 'checkout' | 'reads',
 *   description: string,
 *   stages: Stage[],
 *   thresholds: Thresholds,
 * }} Scenario
 */

/** The high-stock products `npm run seed -- --load` creates (tools/seed/catalogs/load.json). */
export const LOAD_PRODUCT_COUNT = 50;
export const LOAD_PRODUCT_IDS = Array.from({ length: LOAD_PRODUCT_COUNT }, (_, i) => `load-${String(i + 1).padStart(3, '0')}`);

/** Customers the load is spread over (idempotency keys and order lists are per customer). */
export const LOAD_CUSTOMER_COUNT = 500;

/** The load customer number `i` (locally the `sub` of its token; in AWS the credentials name them). */
export function loadCustomerId(/** @type {number} */ i) {
  return `load-cust-${i}`;
}

/** The request that asks a local stack's development issuer for a customer's token. */
export function localTokenRequest(/** @type {string} */ customerId) {
  return {
    method: /** @type {'POST'} */ ('POST'),
    path: '/_local/auth/token',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerId }),
  };
}

/** Orders `reads` places in its setup, then reads back by id. */
export const READS_SETUP_ORDERS = 20;

/**
 * Cart sizes and payment methods of the checkout mix. PayPal is not in it: a PayPal checkout
 * needs an order the buyer approved in PayPal's own pages first, which a load test cannot do
 * against a real deployment.
 */
export const CHECKOUT_MIX = {
  /** Share of carts with 1, 2 and 3 distinct lines. */
  lines: [
    { lines: 1, share: 0.6 },
    { lines: 2, share: 0.3 },
    { lines: 3, share: 0.1 },
  ],
  maxQuantity: 3,
  payments: [
    { payment: { method: 'card', paymentMethodId: 'pm_card_visa' }, share: 0.8 },
    { payment: { method: 'apple_pay', paymentMethodId: 'pm_card_mastercard' }, share: 0.2 },
  ],
};

/**
 * Both scenarios' virtual users: 50 at once, up to 200 over 30 s, held, then down.
 * @type {Stage[]}
 */
const RAMP_50_TO_200 = [
  { duration: '5s', target: 50 },
  { duration: '30s', target: 200 },
  { duration: '10s', target: 200 },
  { duration: '5s', target: 0 },
];

/** @type {Record<'checkout' | 'reads', Scenario>} */
export const SCENARIOS = {
  checkout: {
    name: 'checkout',
    description: `POST /orders: carts of 1-3 lines of the load products, card or Apple Pay, a unique Idempotency-Key each`,
    stages: RAMP_50_TO_200,
    thresholds: { failureRate: 0.01, p95Ms: 2000 },
  },
  reads: {
    name: 'reads',
    description: `GET /products and GET /orders/{id} in turn (orders placed in setup)`,
    stages: RAMP_50_TO_200,
    thresholds: { failureRate: 0.01, p95Ms: 500 },
  },
};

/** @param {string} name @returns {Scenario} */
export function scenarioByName(name) {
  if (name !== 'checkout' && name !== 'reads') throw new Error(`unknown scenario "${name}": checkout or reads`);
  return SCENARIOS[name];
}

/** '30s', '2m', '1m30s', '500ms' → seconds. */
export function parseDuration(/** @type {string} */ text) {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  /** @type {RegExpExecArray | null} */
  let match;
  while ((match = re.exec(text)) !== null) {
    if (match.index !== consumed) break;
    const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[/** @type {'ms' | 's' | 'm' | 'h'} */ (match[2])];
    total += Number(match[1]) * unit;
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) throw new Error(`not a duration: "${text}" (use 30s, 2m, 1m30s, 500ms)`);
  return total;
}

/** Total length of the stages, seconds. */
export function stagesDuration(/** @type {Stage[]} */ stages) {
  return stages.reduce((sum, stage) => sum + parseDuration(stage.duration), 0);
}

/** The largest number of virtual users the stages reach. */
export function stagesPeak(/** @type {Stage[]} */ stages) {
  return stages.reduce((peak, stage) => Math.max(peak, stage.target), 0);
}

/** k6's thresholds for a scenario, on the scenario's own metrics (setup requests excluded). */
export function k6Thresholds(/** @type {Scenario} */ scenario) {
  return {
    orderflow_req_failed: [`rate<${scenario.thresholds.failureRate}`],
    orderflow_req_duration: [`p(95)<${scenario.thresholds.p95Ms}`],
  };
}

/** A run id: keeps idempotency keys of different runs apart. */
export function newRunId() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;
}

/** A unique Idempotency-Key for request `n` of run `runId`. */
export function idempotencyKey(/** @type {string} */ runId, /** @type {number} */ n) {
  return `load-${runId}-${n}`;
}

// Deterministic draws from the request number, so k6 and the Node driver send the same mix.
function draw(/** @type {number} */ n, /** @type {number} */ salt) {
  // mulberry32 of (n, salt)
  let t = (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(salt, 0xc2b2ae35)) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * @template T
 * @param {{ share: number }[] & T[]} choices
 * @param {number} x in [0, 1)
 * @returns {T}
 */
function pick(choices, x) {
  let acc = 0;
  for (const choice of choices) {
    acc += choice.share;
    if (x < acc) return choice;
  }
  return /** @type {T} */ (choices[choices.length - 1]);
}

/** The customer of checkout number `n`, an index among LOAD_CUSTOMER_COUNT. */
function customerIndex(/** @type {number} */ n) {
  return Math.floor(draw(n, 10) * LOAD_CUSTOMER_COUNT);
}

/**
 * The credential of checkout number `n` among those given (every order routes needs a token).
 * @param {number} n @param {Credential[]} credentials
 */
export function credentialOf(n, credentials) {
  return /** @type {Credential} */ (credentials[customerIndex(n) % credentials.length]);
}

/**
 * The body of checkout number `n`: the same `n` always gives the same cart. Its customer is the
 * credential's (the token's sub), or load-cust-<i> without credentials.
 * @param {number} n @param {Credential[]} [credentials]
 */
export function checkoutBody(n, credentials) {
  const { lines } = pick(CHECKOUT_MIX.lines, draw(n, 1));
  const first = Math.floor(draw(n, 2) * LOAD_PRODUCT_COUNT);
  /** @type {CartLine[]} */
  const items = [];
  for (let i = 0; i < lines; i++) {
    items.push({
      // distinct products: consecutive ids from a random start
      productId: /** @type {string} */ (LOAD_PRODUCT_IDS[(first + i * 7) % LOAD_PRODUCT_COUNT]),
      quantity: 1 + Math.floor(draw(n, 3 + i) * CHECKOUT_MIX.maxQuantity),
    });
  }
  const { payment } = pick(CHECKOUT_MIX.payments, draw(n, 9));
  /** @type {CheckoutBody} */
  const body = {
    customerId: credentials && credentials.length > 0 ? credentialOf(n, credentials).customerId : loadCustomerId(customerIndex(n)),
    items,
    payment: /** @type {CardPayment} */ ({ ...payment }),
  };
  return body;
}

/** @param {Credential | undefined} credential @returns {Record<string, string>} */
function authorization(credential) {
  return credential ? { Authorization: `Bearer ${credential.token}` } : {};
}

/**
 * Checkout number `n` of run `runId`, as the customer of its credential.
 * @param {string} runId @param {number} n @param {Credential[]} [credentials]
 */
export function checkoutRequest(runId, n, credentials) {
  const credential = credentials && credentials.length > 0 ? credentialOf(n, credentials) : undefined;
  /** @type {ScenarioRequest} */
  const request = {
    name: 'POST /orders',
    method: 'POST',
    path: '/orders',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(runId, n), ...authorization(credential) },
    body: JSON.stringify(checkoutBody(n, credentials)),
    expectedStatus: 201,
  };
  return request;
}

/**
 * Read number `n`: even numbers list products (public), odd numbers read one of `orderIds` as
 * their customer (`credential`: the one who placed them in setup).
 * @param {number} n @param {string[]} orderIds @param {Credential} [credential]
 */
export function readRequest(n, orderIds, credential) {
  /** @type {ScenarioRequest} */
  const request =
    n % 2 === 0 || orderIds.length === 0
      ? { name: 'GET /products', method: 'GET', path: '/products?limit=20', headers: {}, expectedStatus: 200 }
      : {
          name: 'GET /orders/{id}',
          method: 'GET',
          path: `/orders/${encodeURIComponent(/** @type {string} */ (orderIds[Math.floor(n / 2) % orderIds.length]))}`,
          headers: authorization(credential),
          expectedStatus: 200,
        };
  return request;
}

/** The order id of a 201 checkout answer (its body, else its Location header). */
export function orderIdFromCheckout(/** @type {string | null | undefined} */ body, /** @type {string | null | undefined} */ location) {
  if (body) {
    try {
      const parsed = JSON.parse(body);
      if (parsed && typeof parsed.orderId === 'string') return /** @type {string} */ (parsed.orderId);
    } catch {
      // fall back to the Location header
    }
  }
  const match = location ? /\/orders\/([^/?#]+)/.exec(location) : null;
  return match ? decodeURIComponent(/** @type {string} */ (match[1])) : undefined;
}
