import {
  apiGatewayModelSchema,
  CheckoutRequestSchema,
  COMPENSATION_STATUS,
  IDEMPOTENCY_STATUS,
  type CompensationAction,
  ERROR_CATALOGUE,
  type ErrorCode,
  EVENT_SOURCE,
  executionClaimKey,
  IdempotencyKeySchema,
  keys,
  MAX_LINE_QUANTITY,
  ORDER_PLACED,
  ORDER_REJECTED,
  orderEventId,
  OUTBOX_STATUS,
} from '@orderflow/contracts';
import {
  CHECKOUT_TASK_FUNCTIONS,
  type CheckoutTaskFunction,
  EVENT_BUS_NAME_PLACEHOLDER,
  TABLE_NAME_PLACEHOLDER,
} from './checkout-functions';
import { IDEMPOTENT_REPLAYED_HEADER } from './api-mapping';
import { jsonSchemaToJsonata } from './json-schema-to-jsonata';
import { constantKey, jsonata, jsonataKey, jsonataTemplate, str } from './jsonata-helpers';

/** An ASL state machine definition (JSON). */
export interface AslDefinition {
  Comment?: string;
  QueryLanguage?: 'JSONata' | 'JSONPath';
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}
export type AslState = Record<string, unknown> & { Type: string };

export interface CheckoutDefinitionOptions {
  /** Reservations made at once by the Map state. */
  maxConcurrency?: number;
  /**
   * Hard limit of one execution (Express allows 300 s). An execution stopped by it runs no
   * compensation: its claim stays in flight and recovery finishes it (see DESIGN: recovery window).
   */
  timeoutSeconds?: number;
  /** How long a completed idempotency record replays its response. */
  idempotencyTtlSeconds?: number;
  /**
   * How long an IN_PROGRESS claim blocks its key. Longer than the execution timeout, so a claim
   * is taken over (by a retry or by the recover-checkouts job) only from an execution that can
   * no longer be running; short, because it is most of the recovery window.
   */
  idempotencyLockSeconds?: number;
}

/**
 * The recovery window is set here: an execution that dies holds its claim until the lock
 * expires (execution timeout + the longest task's timeout + 1 s), then a retry takes it over at once and recover-checkouts
 * within its next pass. The timeout is API Gateway's 29 s with room for compensation; an
 * execution that overruns it is not lost, it is recovered.
 */
export const CHECKOUT_DEFAULTS = {
  maxConcurrency: 10,
  timeoutSeconds: 40,
  idempotencyTtlSeconds: 24 * 60 * 60,
  /** `minimumCheckoutLockSeconds(40)`: the timeout, the longest task's 8 s, and a second. */
  idempotencyLockSeconds: 49,
} as const;

/**
 * Retry policies. Step Functions waits `IntervalSeconds * BackoffRate^(n-1)` (capped by
 * MaxDelaySeconds) before retry n; with full jitter the wait is drawn uniformly below that.
 * QUICK bounds the waiting of a step at 1 s, PATIENT at 1 + 2 = 3 s. Steps on the way to a
 * placed order are QUICK except the payment calls; compensation is PATIENT, because a
 * compensation that gives up leaves stock held or money taken. See README for the budget.
 */
export const RETRY_POLICIES = {
  QUICK: { IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 2, MaxDelaySeconds: 1, JitterStrategy: 'FULL' },
  PATIENT: { IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 2, JitterStrategy: 'FULL' },
} as const;
export type RetryPolicyName = keyof typeof RETRY_POLICIES;

/** Lambda service faults (not the function's own errors): always safe to retry. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** Transient AWS errors a handler lets through by name (after the SDK's own retries). */
export const HANDLER_TRANSIENT_ERRORS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionConflictException',
  'BatchRetriesExhaustedError',
] as const;

/** The payment provider timed out, answered 5xx or rate-limited us. Provider calls are idempotent. */
export const PAYMENT_TRANSIENT_ERRORS = ['PaymentProviderUnavailableError'] as const;

/** Transient errors of the direct DynamoDB integration. Conditional check failures are never retried. */
export const DYNAMODB_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.InternalServerErrorException',
  'DynamoDB.InternalServerError',
] as const;

/** Transient errors of the direct EventBridge integration (a failed entry is sent again). */
export const EVENTBRIDGE_TRANSIENT_ERRORS = [
  'EventBridge.FailedEntry',
  'EventBridge.InternalException',
  'EventBridge.ThrottlingException',
] as const;

/** Business errors: the answer is final, never retried (listed for documentation and tests). */
export const BUSINESS_ERRORS = [
  'ValidationError',
  'UnknownProductError',
  'MixedCurrencyCartError',
  'OutOfStockError',
  'PaymentDeclinedError',
  'DynamoDB.ConditionalCheckFailedException',
] as const;

export { IDEMPOTENCY_STATUS } from '@orderflow/contracts';

const retrier = (errors: readonly string[], policy: RetryPolicyName = 'QUICK') => ({
  ErrorEquals: [...errors],
  ...RETRY_POLICIES[policy],
});
/** One retrier per task: Lambda service faults, transient AWS errors in the handler, and `extra`. */
const lambdaRetry = (policy: RetryPolicyName, extra: readonly string[] = []) => [
  retrier([...LAMBDA_SERVICE_ERRORS, ...HANDLER_TRANSIENT_ERRORS, ...extra], policy),
];

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** JSONata for a catalogue error response: `{statusCode, headers, body}` with body as JSON text. */
function errorResponse(code: ErrorCode, message?: string, detailsExpression?: string): string {
  const entry = ERROR_CATALOGUE[code];
  const error = [
    `"code": ${str(code)}`,
    `"message": ${message ?? str(entry.message)}`,
    ...(detailsExpression ? [`"details": ${detailsExpression}`] : []),
  ].join(', ');
  return `{"statusCode": ${entry.status}, "headers": ${JSON.stringify(JSON_HEADERS)}, "body": $string({"error": {${error}}})}`;
}

/**
 * JSONata turning `$states.errorOutput` into the HTTP answer. The task handlers throw
 * errors whose message is the JSON of `toErrorResponse(error)` (see apps/api), so a
 * business error carries its catalogue status and body. Errors raised by AWS (names with
 * a dot: States.*, Lambda.*, Sandbox.*) or anything else unexpected become the catalogue's
 * TIMEOUT (504) or INTERNAL (500), never exposing a cause.
 */
export const ERROR_RESPONSE_FROM_ERROR_OUTPUT = `(
  $e := $states.errorOutput;
  $fromHandler := $type($e.Error) = "string" and $not($contains($e.Error, ".")) and $type($e.Cause) = "string" and $substring($e.Cause, 0, 1) = "{";
  $message := $fromHandler ? $parse($e.Cause).errorMessage : null;
  $task := ($type($message) = "string" and $contains($message, /^\\{"statusCode":[0-9]{3},"body":\\{/)) ? $parse($message) : null;
  $task ? {"statusCode": $task.statusCode, "headers": ${JSON.stringify(JSON_HEADERS)}, "body": $string($task.body)}
    : ($e.Error = "States.Timeout" or $e.Error = "Sandbox.Timedout") ? ${errorResponse('TIMEOUT')}
    : ${errorResponse('INTERNAL')}
)`;

const correlation = {
  executionName: jsonata('$states.context.Execution.Name'),
  requestId: jsonata('$requestId'),
};

interface TaskOptions {
  payload: Record<string, unknown>;
  next?: string;
  end?: boolean;
  assign?: Record<string, unknown>;
  output?: string;
  retry: Record<string, unknown>[];
  catchers: Record<string, unknown>[];
}

function lambdaTask(fn: CheckoutTaskFunction, options: TaskOptions): AslState {
  const spec = CHECKOUT_TASK_FUNCTIONS[fn];
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: {
      FunctionName: `\${${spec.placeholder}}`,
      Payload: { ...options.payload, correlation },
    },
    // A little over the function's own timeout, so Lambda reports its timeout first.
    TimeoutSeconds: spec.timeoutSeconds + 2,
    Retry: options.retry,
    Catch: options.catchers,
    ...(options.assign ? { Assign: options.assign } : {}),
    ...(options.output ? { Output: options.output } : {}),
    ...(options.end ? { End: true } : { Next: options.next }),
  };
}

/** A catcher that records the failure as the response and goes on to `next`. */
const failTo = (next: string, assign: Record<string, unknown> = {}) => ({
  ErrorEquals: ['States.ALL'],
  Next: next,
  Assign: { response: jsonata(ERROR_RESPONSE_FROM_ERROR_OUTPUT), ...assign },
});

/** A catcher for best-effort steps (compensation, publishing): note nothing, go on. */
const continueTo = (next: string, assign: Record<string, unknown> = {}) => ({
  ErrorEquals: ['States.ALL'],
  Next: next,
  ...(Object.keys(assign).length > 0 ? { Assign: assign } : {}),
});

/** A catcher of a compensation step: note the error, go on to record the step for the sweep. */
const compensationFailed = (record: string) => continueTo(record, { compensationError: jsonata('$states.errorOutput.Error') });

/**
 * The shortest lock a claim may have. An execution that times out stops, but a Lambda task it
 * was running goes on to the function's own timeout; a takeover must not begin while such a
 * task can still act. So the lock outlasts the execution's timeout plus the longest task's
 * timeout, plus a second for the clocks (`$now()` is read in whole seconds).
 */
export function minimumCheckoutLockSeconds(timeoutSeconds: number): number {
  return timeoutSeconds + Math.max(...Object.values(CHECKOUT_TASK_FUNCTIONS).map((f) => f.timeoutSeconds)) + 1;
}

const NOW_EPOCH = '$floor($millis() / 1000)';
const n = (expression: string) => ({ N: jsonata(`$string(${expression})`) });
const s = (expression: string) => ({ S: jsonata(expression) });

/**
 * The checkout workflow of DESIGN.md as ASL (QueryLanguage JSONata on the whole machine).
 * Resources are `${Placeholder}`s: CDK fills them through DefinitionSubstitutions, and the
 * local stack through the same substitutions of the synthesized template.
 */
export function buildCheckoutDefinition(options: CheckoutDefinitionOptions = {}): AslDefinition {
  const maxConcurrency = options.maxConcurrency ?? CHECKOUT_DEFAULTS.maxConcurrency;
  const timeoutSeconds = options.timeoutSeconds ?? CHECKOUT_DEFAULTS.timeoutSeconds;
  const ttlSeconds = options.idempotencyTtlSeconds ?? CHECKOUT_DEFAULTS.idempotencyTtlSeconds;
  const lockSeconds = options.idempotencyLockSeconds ?? minimumCheckoutLockSeconds(timeoutSeconds);
  if (lockSeconds < minimumCheckoutLockSeconds(timeoutSeconds)) {
    throw new RangeError(
      `idempotencyLockSeconds must be at least ${minimumCheckoutLockSeconds(timeoutSeconds)} (the timeout plus the longest task's), or a task of a timed-out execution could still act after a takeover`,
    );
  }

  const table = `\${${TABLE_NAME_PLACEHOLDER}}`;
  const bus = `\${${EVENT_BUS_NAME_PLACEHOLDER}}`;
  const bodyViolations = jsonSchemaToJsonata(apiGatewayModelSchema(CheckoutRequestSchema, 'CheckoutRequest'), '$body');
  const keyViolations = jsonSchemaToJsonata(
    apiGatewayModelSchema(IdempotencyKeySchema, 'IdempotencyKey'),
    '$idempotencyKey',
    'Idempotency-Key',
  );
  const idempotencyKeyAttributes = {
    PK: s(jsonataKey(keys.idempotency, ['$customerId', '$idempotencyKey'], 'PK')),
    SK: { S: constantKey(keys.idempotency, 2, 'SK') },
  };
  const inFlightIndex = {
    GSI1PK: { S: constantKey(keys.checkoutInFlight, 2, 'GSI1PK') },
    GSI1SK: s(jsonataKey(keys.checkoutInFlight, ['$orderCreatedAt', '$orderId'], 'GSI1SK')),
  };
  const inFlightIndexNames = { '#gsiPk': 'GSI1PK', '#gsiSk': 'GSI1SK' };
  // The customer is the authenticated caller (the token's sub); only a direct call without one names it in the body.
  const customer = '($authorizedCustomerId != null ? $authorizedCustomerId : $body.customerId)';
  // What JSON Schema cannot say: someone to order for, and the per-line cap over a product's lines.
  const customerAndCapViolations = `(
    $noCustomer := $authorizedCustomerId = null and $type($body) = "object" and $not($exists($body.customerId))
      ? [{"path": "customerId", "message": "customerId is required when the caller is not signed in"}] : [];
    $lines := $type($body.items) = "array" ? $filter($body.items, function($l){ $type($l.productId) = "string" and $type($l.quantity) = "number" }) : [];
    $products := $distinct($lines.productId);
    $over := $filter($products, function($p){ ($of := $filter($lines, function($l){ $l.productId = $p }); $count($of) > 1 and $sum($of.quantity) > ${MAX_LINE_QUANTITY}) });
    $append($noCustomer, [$map($over, function($p){ {"path": "items", "message": "at most ${MAX_LINE_QUANTITY} of " & $p & " in all"} })])
  )`;
  const normalizedRequest = `{
    "customerId": ${customer},
    "items": [$map($body.items, function($line){ {"productId": $line.productId, "quantity": $line.quantity} })],
    "payment": $body.payment.method = "paypal"
      ? {"method": "paypal", "paypalOrderId": $body.payment.paypalOrderId}
      : {"method": $body.payment.method, "paymentMethodId": $body.payment.paymentMethodId}
  }`;
  const taskCatch = (next = 'RecordRejection', assign: Record<string, unknown> = {}) => [failTo(next, assign)];

  const states: Record<string, AslState> = {
    // 1. Normalize and validate ---------------------------------------------------------
    ReadRequest: {
      Type: 'Pass',
      Comment: 'Read the input leniently: StartSyncExecution can be called directly with anything.',
      Assign: {
        requestId: jsonata('$type($states.input.requestId) = "string" ? $states.input.requestId : $states.context.Execution.Name'),
        idempotencyKey: jsonata('$type($states.input.idempotencyKey) = "string" ? $states.input.idempotencyKey : null'),
        // recover-checkouts resumes a checkout that died under the claim key it recorded.
        recoveryClaimKey: jsonata('$type($states.input.recovery.claimKey) = "string" ? $states.input.recovery.claimKey : null'),
        authorizedCustomerId: jsonata(
          '$type($states.input.authorizedCustomerId) = "string" ? $states.input.authorizedCustomerId : null',
        ),
        body: jsonata('$exists($states.input.body) ? $states.input.body : null'),
        orderId: jsonata('"ord_" & $replace($uuid(), "-", "")'),
        orderCreatedAt: jsonata('$states.context.Execution.StartTime'),
        response: null,
        payment: null,
        cart: null,
        order: null,
        reservationsAttempted: false,
        orderSaveAttempted: false,
        paymentUncertain: false,
        claimAttempts: 0,
        resumed: false,
        compensationError: null,
      },
      Next: 'ValidateRequest',
    },
    ValidateRequest: {
      Type: 'Pass',
      Comment: 'Shape checks compiled from the JSON Schema of the zod request schema (the API model).',
      Assign: {
        violations: jsonata(
          `($all := $append($append(${bodyViolations}, $idempotencyKey = null ? [] : ${keyViolations}), ${customerAndCapViolations}); $all ? $all : [])`,
        ),
      },
      Next: 'CheckRequest',
    },
    CheckRequest: {
      Type: 'Choice',
      Choices: [
        { Condition: jsonata('$count($violations) > 0'), Next: 'RejectInvalidRequest' },
        {
          Condition: jsonata('$authorizedCustomerId != null and $exists($body.customerId) and $authorizedCustomerId != $body.customerId'),
          Next: 'RejectForeignCustomer',
        },
      ],
      Default: 'NormalizeRequest',
    },
    RejectInvalidRequest: {
      Type: 'Pass',
      Assign: { response: jsonata(errorResponse('VALIDATION_FAILED', undefined, '$violations')) },
      Next: 'Respond',
    },
    RejectForeignCustomer: {
      Type: 'Pass',
      Assign: {
        response: jsonata(errorResponse('FORBIDDEN', str('customerId must be the authenticated customer.'))),
      },
      Next: 'Respond',
    },
    NormalizeRequest: {
      Type: 'Pass',
      Comment: 'A canonical request (fixed key order, known fields only) so equal requests hash equally.',
      Assign: {
        customerId: jsonata(customer),
        request: jsonata(normalizedRequest),
        requestHash: jsonata(`$hash($string(${normalizedRequest}), "SHA-256")`),
        // From here on the checkout's key: the client's, the one recover-checkouts resumes, or
        // (no Idempotency-Key) one of its execution's name — every checkout claims a record.
        idempotencyKey: jsonata(
          `$recoveryClaimKey != null ? $recoveryClaimKey : ($idempotencyKey != null ? $idempotencyKey : ${jsonataTemplate(executionClaimKey, ['$states.context.Execution.Name'])})`,
        ),
      },
      Next: 'ClaimIdempotencyKey',
    },

    // 2. Claim the idempotency key, or replay ---------------------------------------------
    ClaimIdempotencyKey: {
      Type: 'Task',
      Comment:
        'Conditional put: a new key, or a key released after a 5xx. Every checkout claims one (without an Idempotency-Key, under its execution name): the claim is in flight (GSI1 CHECKOUT) until the checkout answers, with the request, so one that dies is found and resumed.',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Arguments: {
        TableName: table,
        Item: {
          ...idempotencyKeyAttributes,
          ...inFlightIndex,
          status: { S: IDEMPOTENCY_STATUS.inProgress },
          requestHash: s('$requestHash'),
          orderId: s('$orderId'),
          executionName: s('$states.context.Execution.Name'),
          createdAt: s('$orderCreatedAt'),
          lockExpiresAt: n(`${NOW_EPOCH} + ${lockSeconds}`),
          expiresAt: n(`${NOW_EPOCH} + ${ttlSeconds}`),
          claimKey: s('$idempotencyKey'),
          customerId: s('$customerId'),
          request: s('$string($request)'),
          attempts: { N: '0' },
        },
        ConditionExpression: 'attribute_not_exists(PK) OR #status = :released',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': { S: IDEMPOTENCY_STATUS.released } },
      },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS)],
      Catch: [
        {
          ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
          Next: 'ReadIdempotencyRecord',
          Assign: { claimAttempts: jsonata('$claimAttempts + 1') },
        },
        failTo('Respond'),
      ],
      Next: 'PriceCart',
    },
    ReadIdempotencyRecord: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Arguments: { TableName: table, Key: idempotencyKeyAttributes, ConsistentRead: true },
      Assign: {
        record: jsonata(`($i := $states.result.Item; $i ? {
          "status": $i.status.S,
          "requestHash": $i.requestHash.S,
          "orderId": $i.orderId.S,
          "createdAt": $i.createdAt.S,
          "lockExpiresAt": $exists($i.lockExpiresAt.N) ? $number($i.lockExpiresAt.N) : 0,
          "response": $exists($i.response.S) ? $i.response.S : null,
          "rejection": $exists($i.rejection.S) ? $parse($i.rejection.S) : null
        } : null)`),
      },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS)],
      Catch: [failTo('Respond')],
      Next: 'ReplayOrReject',
    },
    ReplayOrReject: {
      Type: 'Choice',
      Choices: [
        {
          Comment: 'Gone or released since our put failed: claim again (bounded).',
          Condition: jsonata(
            `$claimAttempts < 3 and ($record = null or $record.status = ${str(IDEMPOTENCY_STATUS.released)})`,
          ),
          Next: 'ClaimIdempotencyKey',
        },
        { Condition: jsonata('$record != null and $record.requestHash != $requestHash'), Next: 'RejectReusedKey' },
        {
          Condition: jsonata(`$record.status = ${str(IDEMPOTENCY_STATUS.completed)} and $record.response != null`),
          Next: 'ReplayResponse',
        },
        {
          Comment: 'The execution holding the key can no longer be running: resume its order.',
          Condition: jsonata(
            `$claimAttempts < 3 and $record.status = ${str(IDEMPOTENCY_STATUS.inProgress)} and $record.lockExpiresAt < ${NOW_EPOCH}`,
          ),
          Next: 'TakeOverIdempotencyKey',
        },
      ],
      Default: 'RejectInProgress',
    },
    TakeOverIdempotencyKey: {
      Type: 'Task',
      Comment:
        'Resume with the same order id and creation time: every step is idempotent per order, so nothing is reserved, charged or saved twice.',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: {
        TableName: table,
        Key: idempotencyKeyAttributes,
        UpdateExpression: 'SET #lockExpiresAt = :lock, executionName = :execution, attempts = if_not_exists(attempts, :zero) + :one',
        ConditionExpression: '#status = :inProgress AND #lockExpiresAt < :now AND #orderId = :orderId',
        ExpressionAttributeNames: { '#status': 'status', '#lockExpiresAt': 'lockExpiresAt', '#orderId': 'orderId' },
        ExpressionAttributeValues: {
          ':lock': n(`${NOW_EPOCH} + ${lockSeconds}`),
          ':execution': s('$states.context.Execution.Name'),
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
          ':now': n(NOW_EPOCH),
          ':orderId': s('$record.orderId'),
        },
      },
      Assign: { orderId: jsonata('$record.orderId'), orderCreatedAt: jsonata('$record.createdAt'), resumed: true },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS)],
      Catch: [
        {
          ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
          Next: 'ReadIdempotencyRecord',
          Assign: { claimAttempts: jsonata('$claimAttempts + 1') },
        },
        failTo('Respond'),
      ],
      Next: 'ResumeCheckout',
    },
    ResumeCheckout: {
      Type: 'Choice',
      Comment:
        'A resumed checkout goes forward (every step is idempotent per order: the money and stock it finds are the ones it uses) unless the first execution had decided to reject: then it finishes that compensation and answers that rejection.',
      Choices: [{ Condition: jsonata('$record.rejection != null'), Next: 'ResumeRejection' }],
      Default: 'PriceCart',
    },
    ResumeRejection: {
      Type: 'Pass',
      Assign: {
        response: jsonata('$record.rejection.response'),
        payment: jsonata('$record.rejection.payment'),
        paymentUncertain: jsonata('$record.rejection.paymentUncertain'),
        orderSaveAttempted: jsonata('$record.rejection.orderSaveAttempted'),
        reservationsAttempted: jsonata('$record.rejection.reservationsAttempted'),
        cart: jsonata('{"total": $record.rejection.amount}'),
      },
      Next: 'CompensateReservations',
    },
    ReplayResponse: {
      Type: 'Pass',
      Assign: {
        response: jsonata(
          `($r := $parse($record.response); $merge([$r, {"headers": $merge([$r.headers, {${str(IDEMPOTENT_REPLAYED_HEADER)}: "true"}])}]))`,
        ),
      },
      Next: 'Respond',
    },
    RejectReusedKey: {
      Type: 'Pass',
      Assign: { response: jsonata(errorResponse('IDEMPOTENCY_KEY_REUSED')) },
      Next: 'Respond',
    },
    RejectInProgress: {
      Type: 'Pass',
      Assign: { response: jsonata(errorResponse('IDEMPOTENCY_IN_PROGRESS')) },
      Next: 'Respond',
    },

    // 3. Price the cart from the catalog ----------------------------------------------------
    PriceCart: lambdaTask('priceCart', {
      payload: {
        orderId: jsonata('$orderId'),
        customerId: jsonata('$customerId'),
        items: jsonata('$request.items'),
        // A checkout with a key may be resumed by another execution: keep its quote, which a
        // resumed order (a takeover) gets back, so it keeps the price first quoted.
        quote: jsonata('$idempotencyKey = null ? "none" : ($resumed ? "resume" : "keep")'),
      },
      assign: { cart: jsonata('$states.result.Payload') },
      retry: lambdaRetry('QUICK'),
      catchers: taskCatch(),
      next: 'ReserveLines',
    }),

    // 4. Reserve every line -----------------------------------------------------------------
    ReserveLines: {
      Type: 'Map',
      Comment:
        'Each iteration catches its own failure, so the Map always ends with every reservation settled: no reservation can land after compensation has run.',
      Items: jsonata('$cart.lines'),
      ItemSelector: {
        index: jsonata('$states.context.Map.Item.Index'),
        productId: jsonata('$states.context.Map.Item.Value.productId'),
        quantity: jsonata('$states.context.Map.Item.Value.quantity'),
      },
      MaxConcurrency: maxConcurrency,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'ReserveLine',
        States: {
          ReserveLine: lambdaTask('reserveLine', {
            payload: {
              orderId: jsonata('$orderId'),
              productId: jsonata('$states.input.productId'),
              quantity: jsonata('$states.input.quantity'),
            },
            output: jsonata(
              '{"index": $states.input.index, "productId": $states.input.productId, "quantity": $states.input.quantity, "reserved": true}',
            ),
            retry: lambdaRetry('QUICK'),
            catchers: [
              {
                ErrorEquals: ['States.ALL'],
                Next: 'LineNotReserved',
                Output: jsonata(
                  `{"index": $states.input.index, "productId": $states.input.productId, "quantity": $states.input.quantity, "reserved": false, "response": ${ERROR_RESPONSE_FROM_ERROR_OUTPUT}}`,
                ),
              },
            ],
            end: true,
          }),
          LineNotReserved: { Type: 'Pass', End: true },
        },
      },
      Assign: { reservations: jsonata('$states.result'), reservationsAttempted: true },
      Catch: [failTo('RecordRejection', { reservationsAttempted: true })],
      Next: 'CheckReservations',
    },
    CheckReservations: {
      Type: 'Choice',
      Choices: [
        {
          Condition: jsonata('$count($filter($reservations, function($r){ $r.reserved = false })) > 0'),
          Next: 'RejectReservation',
        },
      ],
      Default: 'RoutePayment',
    },
    RejectReservation: {
      Type: 'Pass',
      Comment: 'Answer with the first line (in cart order) that could not be reserved.',
      Assign: {
        response: jsonata('$sort($filter($reservations, function($r){ $r.reserved = false }), function($a, $b){ $a.index > $b.index })[0].response'),
      },
      Next: 'RecordRejection',
    },

    // 5. Authorize the payment, routed by method --------------------------------------------
    RoutePayment: {
      Type: 'Choice',
      Choices: [{ Condition: jsonata('$request.payment.method = "paypal"'), Next: 'AuthorizePaypalPayment' }],
      Default: 'AuthorizeCardPayment',
    },
    AuthorizeCardPayment: authorizeTask(),
    AuthorizePaypalPayment: authorizeTask(),

    // 6. Save the order, capture the payment -------------------------------------------------
    SaveOrder: lambdaTask('saveOrder', {
      payload: {
        order: jsonata(`{
          "orderId": $orderId,
          "customerId": $customerId,
          "status": "CONFIRMED",
          "items": $cart.lines,
          "total": $cart.total,
          "payment": {"method": $payment.method, "status": $payment.status},
          "createdAt": $orderCreatedAt
        }`),
        payment: jsonata('$payment'),
      },
      assign: { order: jsonata('$states.result.Payload'), orderSaveAttempted: true },
      retry: lambdaRetry('QUICK'),
      // A save whose answer was lost may still have written: compensation cancels it then.
      catchers: taskCatch('RecordRejection', { orderSaveAttempted: true }),
      next: 'CapturePayment',
    }),
    CapturePayment: lambdaTask('capturePayment', {
      payload: { orderId: jsonata('$orderId'), payment: jsonata('$payment'), amount: jsonata('$cart.total') },
      assign: { payment: jsonata('$states.result.Payload') },
      retry: lambdaRetry('PATIENT', PAYMENT_TRANSIENT_ERRORS),
      catchers: taskCatch(),
      next: 'RecordCapture',
    }),
    RecordCapture: lambdaTask('recordCapture', {
      payload: { orderId: jsonata('$orderId'), paymentStatus: 'CAPTURED', cancelled: false },
      assign: { order: jsonata('$states.result.Payload') },
      retry: lambdaRetry('QUICK'),
      catchers: taskCatch(),
      next: 'PublishOrderPlaced',
    }),

    // 7. Publish OrderPlaced -------------------------------------------------------------------
    PublishOrderPlaced: {
      Type: 'Task',
      Comment: 'The order stands once captured: if the event cannot be published it goes to the outbox.',
      Resource: 'arn:aws:states:::events:putEvents',
      Arguments: {
        Entries: [
          {
            EventBusName: bus,
            Source: EVENT_SOURCE,
            DetailType: ORDER_PLACED,
            Detail: jsonata(orderPlacedDetail()),
          },
        ],
      },
      Retry: [retrier(EVENTBRIDGE_TRANSIENT_ERRORS)],
      Catch: [continueTo('RecordUnpublishedEvent')],
      Next: 'BuildOrderResponse',
    },
    RecordUnpublishedEvent: outboxPut(ORDER_PLACED, orderPlacedDetail(), 'BuildOrderResponse'),
    BuildOrderResponse: {
      Type: 'Pass',
      Assign: {
        response: jsonata(
          `{"statusCode": 201, "headers": {"Content-Type": "application/json", "Location": "/orders/" & $orderId}, "body": $string($order)}`,
        ),
      },
      Next: 'FinishIdempotency',
    },

    // 8. Compensation: undo exactly what was done, then answer -----------------------------
    RecordRejection: {
      Type: 'Task',
      Comment:
        'First, before anything is undone, the decision is recorded on the claim: an execution that dies while compensating is resumed into this compensation (never forward), with the payment to void or refund and the answer to give.',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: {
        TableName: table,
        Key: idempotencyKeyAttributes,
        UpdateExpression: 'SET rejection = :rejection',
        ConditionExpression: '#orderId = :orderId AND #status = :inProgress',
        ExpressionAttributeNames: { '#orderId': 'orderId', '#status': 'status' },
        ExpressionAttributeValues: {
          ':rejection': s(`$string({
            "response": $response,
            "payment": $payment,
            "paymentUncertain": $paymentUncertain,
            "orderSaveAttempted": $orderSaveAttempted,
            "reservationsAttempted": $reservationsAttempted,
            "amount": $exists($cart.total) ? $cart.total : null
          })`),
          ':orderId': s('$orderId'),
          ':inProgress': { S: IDEMPOTENCY_STATUS.inProgress },
        },
      },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS, 'PATIENT')],
      // Not recorded: undo nothing. The claim stays in flight and recovery resumes the checkout.
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RejectionNotRecorded' }],
      Next: 'CompensateReservations',
    },
    RejectionNotRecorded: {
      Type: 'Fail',
      Error: 'Checkout.RejectionNotRecorded',
      Cause: 'The rejection could not be recorded; nothing was undone and recovery will resume the checkout.',
    },
    CompensateReservations: {
      Type: 'Choice',
      Choices: [{ Condition: jsonata('$reservationsAttempted'), Next: 'ReleaseReservations' }],
      Default: 'CompensatePayment',
    },
    ReleaseReservations: lambdaTask('releaseReservations', {
      payload: { orderId: jsonata('$orderId') },
      retry: lambdaRetry('PATIENT'),
      catchers: [compensationFailed('RecordUnfinishedRelease')],
      next: 'CompensatePayment',
    }),
    RecordUnfinishedRelease: compensationPut('RELEASE_RESERVATIONS', 'CompensatePayment'),
    CompensatePayment: {
      Type: 'Choice',
      Choices: [
        { Condition: jsonata('$payment != null and $payment.status = "CAPTURED"'), Next: 'RefundPayment' },
        { Condition: jsonata('$payment != null and $payment.status = "AUTHORIZED"'), Next: 'VoidPayment' },
        { Condition: jsonata('$payment = null and $paymentUncertain'), Next: 'VoidUncertainPayment' },
      ],
      Default: 'CancelOrderIfSaved',
    },
    VoidUncertainPayment: lambdaTask('voidPayment', {
      // Authorization failed in a way that does not say the provider did nothing (timeouts, lost
      // answers): the same authorize request (same provider idempotency key) tells what it did,
      // and whatever it authorized is voided.
      payload: {
        orderId: jsonata('$orderId'),
        authorize: jsonata('{"customerId": $customerId, "payment": $request.payment, "amount": $cart.total}'),
      },
      // The voided payment, or null when the provider had authorized nothing.
      assign: { payment: jsonata('$states.result.Payload') },
      retry: lambdaRetry('PATIENT', PAYMENT_TRANSIENT_ERRORS),
      catchers: [compensationFailed('RecordUnfinishedVoid')],
      next: 'CancelOrderIfSaved',
    }),
    VoidPayment: lambdaTask('voidPayment', {
      payload: { orderId: jsonata('$orderId'), payment: jsonata('$payment'), amount: jsonata('$cart.total') },
      assign: { payment: jsonata('$states.result.Payload') },
      retry: lambdaRetry('PATIENT', PAYMENT_TRANSIENT_ERRORS),
      catchers: [compensationFailed('RecordUnfinishedVoid')],
      next: 'CancelOrderIfSaved',
    }),
    RecordUnfinishedVoid: compensationPut('VOID_PAYMENT', 'CancelOrderIfSaved'),
    RefundPayment: lambdaTask('refundPayment', {
      payload: { orderId: jsonata('$orderId'), payment: jsonata('$payment'), amount: jsonata('$cart.total') },
      assign: { payment: jsonata('$states.result.Payload') },
      retry: lambdaRetry('PATIENT', PAYMENT_TRANSIENT_ERRORS),
      catchers: [compensationFailed('RecordUnfinishedRefund')],
      next: 'CancelOrderIfSaved',
    }),
    RecordUnfinishedRefund: compensationPut('REFUND_PAYMENT', 'CancelOrderIfSaved'),
    CancelOrderIfSaved: {
      Type: 'Choice',
      Choices: [{ Condition: jsonata('$orderSaveAttempted'), Next: 'CancelOrder' }],
      Default: 'PublishOrderRejected',
    },
    CancelOrder: lambdaTask('cancelOrder', {
      payload: {
        orderId: jsonata('$orderId'),
        paymentStatus: jsonata('$payment != null ? $payment.status : "VOIDED"'),
        cancelled: true,
      },
      retry: lambdaRetry('PATIENT'),
      // A saved order left CONFIRMED after its money and stock were given back would be a lie
      // the next resume believes: the cancel is recorded for the sweep, and the key kept till then.
      catchers: [compensationFailed('RecordUnfinishedCancel')],
      next: 'PublishOrderRejected',
    }),
    RecordUnfinishedCancel: compensationPut('CANCEL_ORDER', 'PublishOrderRejected'),
    PublishOrderRejected: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Arguments: {
        Entries: [
          {
            EventBusName: bus,
            Source: EVENT_SOURCE,
            DetailType: ORDER_REJECTED,
            Detail: jsonata(orderRejectedDetail()),
          },
        ],
      },
      Retry: [retrier(EVENTBRIDGE_TRANSIENT_ERRORS, 'PATIENT')],
      Catch: [continueTo('RecordUnpublishedRejection')],
      Next: 'FinishIdempotency',
    },
    RecordUnpublishedRejection: outboxPut(ORDER_REJECTED, orderRejectedDetail(), 'FinishIdempotency'),

    // Record the answer for the key: final answers replay, 5xx release the key for a retry.
    FinishIdempotency: {
      Type: 'Choice',
      Comment:
        'A 5xx releases the key (the client may retry afresh) once everything was undone; one whose compensation is left to the sweep keeps its answer until the sweep has undone everything, then the sweep releases it: a key is never released while money or stock is still held for it.',
      Choices: [{ Condition: jsonata('$response.statusCode >= 500 and $compensationError = null'), Next: 'ReleaseIdempotencyKey' }],
      Default: 'CompleteIdempotencyKey',
    },
    CompleteIdempotencyKey: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: {
        TableName: table,
        Key: idempotencyKeyAttributes,
        // A 5xx kept here (its compensation left to the sweep) is marked: the sweep releases the
        // key once nothing is held any more, so the client's retry with it can succeed.
        UpdateExpression:
          'SET #status = :completed, #response = :response, completedAt = :now, #releaseWhenCompensated = :releaseWhenCompensated REMOVE #lockExpiresAt, #gsiPk, #gsiSk',
        ConditionExpression: '#orderId = :orderId',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#response': 'response',
          '#orderId': 'orderId',
          '#lockExpiresAt': 'lockExpiresAt',
          '#releaseWhenCompensated': 'releaseWhenCompensated',
          ...inFlightIndexNames,
        },
        ExpressionAttributeValues: {
          ':completed': { S: IDEMPOTENCY_STATUS.completed },
          ':response': s('$string($response)'),
          ':now': s('$now()'),
          ':orderId': s('$orderId'),
          ':releaseWhenCompensated': { BOOL: jsonata('$response.statusCode >= 500') },
        },
      },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS, 'PATIENT')],
      Catch: [continueTo('Respond')],
      Next: 'Respond',
    },
    ReleaseIdempotencyKey: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: {
        TableName: table,
        Key: idempotencyKeyAttributes,
        UpdateExpression: 'SET #status = :released, releasedAt = :now REMOVE #lockExpiresAt, #gsiPk, #gsiSk',
        ConditionExpression: '#orderId = :orderId',
        ExpressionAttributeNames: { '#status': 'status', '#orderId': 'orderId', '#lockExpiresAt': 'lockExpiresAt', ...inFlightIndexNames },
        ExpressionAttributeValues: {
          ':released': { S: IDEMPOTENCY_STATUS.released },
          ':now': s('$now()'),
          ':orderId': s('$orderId'),
        },
      },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS, 'PATIENT')],
      Catch: [continueTo('Respond')],
      Next: 'Respond',
    },
    Respond: {
      Type: 'Pass',
      Comment: 'The HTTP answer: {statusCode, headers, body} (CheckoutWorkflowOutput).',
      Output: jsonata('$response'),
      End: true,
    },
  };

  return {
    Comment: 'orderflow checkout: validate, claim idempotency key, price, reserve (Map), authorize, save, capture, publish; saga compensation on failure.',
    QueryLanguage: 'JSONata',
    StartAt: 'ReadRequest',
    TimeoutSeconds: timeoutSeconds,
    States: states,
  };

  /**
   * A conditional put of work left for a scheduled job: an item pending in GSI1 (a sparse
   * index the job queries). Best effort: the answer does not depend on it.
   */
  function pendingItemPut(comment: string, item: Record<string, unknown>, condition: Record<string, unknown>, next: string): AslState {
    return {
      Type: 'Task',
      Comment: comment,
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Arguments: { TableName: table, Item: { ...item, attempts: { N: '0' }, createdAt: s(PENDING_ITEM_CREATED_AT) }, ...condition },
      Retry: [retrier(DYNAMODB_TRANSIENT_ERRORS)],
      Catch: [continueTo(next)],
      Next: next,
    };
  }

  /**
   * An event that could not be published goes to the outbox item of its order and type:
   * PENDING and indexed in GSI1 (`keys.outboxPending`) for the redrive-outbox job, with the
   * stable event id consumers deduplicate on.
   */
  function outboxPut(detailType: typeof ORDER_PLACED | typeof ORDER_REJECTED, detail: string, next: string): AslState {
    return pendingItemPut(
      `${detailType} could not be published: keep it in the outbox (OUTBOX#<orderId> / EVENT#${detailType}, GSI1 OUTBOX) for the redrive.`,
      {
        PK: s(jsonataKey(keys.outbox, ['$orderId', str(detailType)], 'PK')),
        SK: s(jsonataKey(keys.outbox, ['$orderId', str(detailType)], 'SK')),
        GSI1PK: { S: constantKey(keys.outboxPending, 3, 'GSI1PK') },
        GSI1SK: s(jsonataKey(keys.outboxPending, [PENDING_ITEM_CREATED_AT, '$orderId', str(detailType)], 'GSI1SK')),
        status: { S: OUTBOX_STATUS.pending },
        eventId: s(jsonataTemplate((orderId: string) => orderEventId(orderId, detailType), ['$orderId'])),
        eventBusName: { S: bus },
        source: { S: EVENT_SOURCE },
        detailType: { S: detailType },
        detail: s(`$string(${detail})`),
      },
      // Never reset an item the redrive may already have published (a retried put).
      { ConditionExpression: 'attribute_not_exists(PK)' },
      next,
    );
  }

  /**
   * A compensation step that still failed after its retries is recorded for the
   * complete-compensations job (`keys.compensation`, PENDING in GSI1 under
   * `keys.compensationPending`), which retries it until done: stock or money is never left
   * held because the workflow gave up. Void and refund keep the payment and amount they need.
   */
  function compensationPut(action: CompensationAction, next: string): AslState {
    const payment = action === 'RELEASE_RESERVATIONS' ? {} : { payment: s('$string($payment)'), amount: s('$string($cart.total)') };
    // A void of an uncertain authorization ($payment null) keeps the authorize request that finds it.
    const authorize =
      action === 'VOID_PAYMENT'
        ? { authorize: s('$string({"customerId": $customerId, "payment": $request.payment, "amount": $cart.total})') }
        : {};
    return pendingItemPut(
      `${action} failed after its retries: record it (COMPENSATION#<orderId> / ACTION#${action}, GSI1 COMPENSATION) for the complete-compensations job.`,
      {
        PK: s(jsonataKey(keys.compensation, ['$orderId', str(action)], 'PK')),
        SK: s(jsonataKey(keys.compensation, ['$orderId', str(action)], 'SK')),
        GSI1PK: { S: constantKey(keys.compensationPending, 3, 'GSI1PK') },
        GSI1SK: s(jsonataKey(keys.compensationPending, [PENDING_ITEM_CREATED_AT, '$orderId', str(action)], 'GSI1SK')),
        status: { S: COMPENSATION_STATUS.pending },
        action: { S: action },
        orderId: s('$orderId'),
        // The checkout's claim, released by the sweep once its compensations are done (a 5xx answer).
        customerId: s('$customerId'),
        claimKey: s('$idempotencyKey'),
        executionName: s('$states.context.Execution.Name'),
        lastError: s('$string($compensationError)'),
        ...payment,
        ...authorize,
      },
      // A new failure reopens a compensation done before (its steps are idempotent); a pending one stays as it is.
      {
        ConditionExpression: 'attribute_not_exists(PK) OR #status = :done',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': { S: COMPENSATION_STATUS.done } },
      },
      next,
    );
  }

  function authorizeTask(): AslState {
    return lambdaTask('authorizePayment', {
      payload: {
        orderId: jsonata('$orderId'),
        customerId: jsonata('$customerId'),
        payment: jsonata('$request.payment'),
        amount: jsonata('$cart.total'),
      },
      assign: { payment: jsonata('$states.result.Payload') },
      retry: lambdaRetry('PATIENT', PAYMENT_TRANSIENT_ERRORS),
      // A decline says the provider authorized nothing; any other failure may hide an authorization.
      catchers: taskCatch('RecordRejection', { paymentUncertain: jsonata('$states.errorOutput.Error != "PaymentDeclinedError"') }),
      next: 'SaveOrder',
    });
  }
}

/** When a pending item (outbox, compensation) was written: the state's entry time, the same in every attribute. */
const PENDING_ITEM_CREATED_AT = '$states.context.State.EnteredTime';

function orderRejectedDetail(): string {
  return `($error := $parse($response.body).error; {
    "eventId": ${jsonataTemplate((orderId: string) => orderEventId(orderId, ORDER_REJECTED), ['$orderId'])},
    "orderId": $orderId,
    "customerId": $customerId,
    "reason": {"code": $error.code, "message": $error.message},
    "rejectedAt": $now()
  })`;
}

function orderPlacedDetail(): string {
  return `{
    "eventId": ${jsonataTemplate((orderId: string) => orderEventId(orderId, ORDER_PLACED), ['$orderId'])},
    "orderId": $orderId,
    "customerId": $customerId,
    "total": $cart.total,
    "items": [$map($cart.lines, function($l){ {"productId": $l.productId, "name": $l.name, "quantity": $l.quantity, "unitPrice": $l.unitPrice} })],
    "payment": {"method": $payment.method, "provider": $payment.provider, "reference": $payment.authorizationId},
    "placedAt": $order.createdAt
  }`;
}
