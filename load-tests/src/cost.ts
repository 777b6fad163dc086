/**
 * AWS cost of checkouts at public on-demand prices (us-east-1, checked 2026-11; no free tier,
 * no savings plans, first pricing tier). Sources: aws.amazon.com/api-gateway/pricing,
 * /step-functions/pricing, /lambda/pricing, /eventbridge/pricing, /dynamodb/pricing/on-demand.
 */
export const PRICES = {
  /** API Gateway REST API, per million requests (first 333 million a month). */
  apiGatewayRestPerMillion: 3.5,
  /** Step Functions Express: per million requests (executions started). */
  expressRequestsPerMillion: 1.0,
  /** Step Functions Express: per GB-second, duration rounded up to 100 ms, memory in 64 MB chunks. */
  expressPerGbSecond: 0.00001667,
  expressBillingIncrementMs: 100,
  expressMemoryChunkMb: 64,
  /** Lambda: per million requests (both architectures). */
  lambdaRequestsPerMillion: 0.2,
  /** Lambda arm64 per GB-second (first 7.5 billion GB-s a month), billed per 1 ms. */
  lambdaArmPerGbSecond: 0.0000133334,
  /** EventBridge custom events published, per million (64 KB chunks). */
  eventBridgePerMillion: 1.0,
  /** DynamoDB on-demand, per million write / read request units. */
  dynamoWriteUnitsPerMillion: 0.625,
  dynamoReadUnitsPerMillion: 0.125,
} as const;

export interface LambdaUse {
  name: string;
  /** Invocations per checkout (a Map's reservations: one per cart line). */
  invocations: number;
  /** Billed duration of one invocation, ms. */
  durationMs: number;
  memoryMb: number;
}

export interface CheckoutCostInput {
  /** Express execution duration per checkout, ms (billed rounded up to 100 ms). */
  expressDurationMs: number;
  /** Express memory (64 MB unless the state data outgrows it). */
  expressMemoryMb?: number;
  lambdas: LambdaUse[];
  /** Not in the reference's scope: events published and DynamoDB request units per checkout. */
  eventsPublished?: number;
  dynamoWriteUnits?: number;
  dynamoReadUnits?: number;
}

export interface CheckoutCost {
  apiGateway: number;
  expressRequests: number;
  expressDuration: number;
  express: number;
  lambdaRequests: number;
  lambdaDuration: number;
  lambda: number;
  /** API Gateway + Express + Lambda: the reference's scope. */
  total: number;
  eventBridge: number;
  dynamodb: number;
  /** Everything above. */
  totalWithData: number;
  /** Lambda GB-seconds per checkout. */
  lambdaGbSeconds: number;
  /** Express GB-seconds per checkout, as billed. */
  expressGbSeconds: number;
}

const MILLION = 1_000_000;

/** Dollars per million checkouts. */
export function costPerMillionCheckouts(input: CheckoutCostInput): CheckoutCost {
  const p = PRICES;
  const expressMemoryGb = (Math.ceil((input.expressMemoryMb ?? p.expressMemoryChunkMb) / p.expressMemoryChunkMb) * p.expressMemoryChunkMb) / 1024;
  const expressSeconds = (Math.ceil(input.expressDurationMs / p.expressBillingIncrementMs) * p.expressBillingIncrementMs) / 1000;
  const expressGbSeconds = expressSeconds * expressMemoryGb;
  const expressRequests = p.expressRequestsPerMillion;
  const expressDuration = expressGbSeconds * p.expressPerGbSecond * MILLION;
  const invocations = input.lambdas.reduce((sum, l) => sum + l.invocations, 0);
  const lambdaGbSeconds = input.lambdas.reduce((sum, l) => sum + l.invocations * (Math.ceil(l.durationMs) / 1000) * (l.memoryMb / 1024), 0);
  const lambdaRequests = invocations * p.lambdaRequestsPerMillion;
  const lambdaDuration = lambdaGbSeconds * p.lambdaArmPerGbSecond * MILLION;
  const apiGateway = p.apiGatewayRestPerMillion;
  const total = apiGateway + expressRequests + expressDuration + lambdaRequests + lambdaDuration;
  const eventBridge = (input.eventsPublished ?? 0) * p.eventBridgePerMillion;
  const dynamodb = (input.dynamoWriteUnits ?? 0) * p.dynamoWriteUnitsPerMillion + (input.dynamoReadUnits ?? 0) * p.dynamoReadUnitsPerMillion;
  return {
    apiGateway,
    expressRequests,
    expressDuration,
    express: expressRequests + expressDuration,
    lambdaRequests,
    lambdaDuration,
    lambda: lambdaRequests + lambdaDuration,
    total,
    eventBridge,
    dynamodb,
    totalWithData: total + eventBridge + dynamodb,
    lambdaGbSeconds,
    expressGbSeconds,
  };
}

/** The reference architecture: REST API, Express at 3 s and 64 MB, 5 Lambda calls of 500 ms at 128 MB. */
export const REFERENCE_CHECKOUT: CheckoutCostInput = {
  expressDurationMs: 3000,
  expressMemoryMb: 64,
  lambdas: [{ name: 'reference (5 calls)', invocations: 5, durationMs: 500, memoryMb: 128 }],
};
/** Its total per million, as published: $12.80. */
export const REFERENCE_TOTAL_PER_MILLION = 12.8;

/** A DynamoDB attribute value in the low-level JSON format (`{"S": "..."}`, `{"M": {...}}`). */
type AttributeValue = Record<string, unknown>;

/** Bytes DynamoDB counts for a value: strings and binaries by length, numbers ~1 byte per 2 digits, +3 per list/map and 1 per element. */
export function attributeValueBytes(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'B':
      return Math.ceil((String(inner).length * 3) / 4);
    case 'N':
      return Math.ceil(String(inner).replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (inner as string[]).reduce((sum, v) => sum + attributeValueBytes({ [type.slice(0, 1)]: v }), 0);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, v) => sum + 1 + attributeValueBytes(v), 0);
    case 'M':
      return 3 + Object.entries(inner as Record<string, AttributeValue>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + attributeValueBytes(v), 0);
    default:
      return 0;
  }
}

/** Bytes DynamoDB counts for an item: attribute names and values. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + attributeValueBytes(value), 0);
}

/** What an UpdateItem is assumed to find in the item besides the values it writes. */
const UPDATED_ITEM_REST_BYTES = 512;

/**
 * DynamoDB request units of one call, estimated from its request body: writes 1 WRU per KB of
 * item, twice in a transaction, once more when the item carries GSI1 keys (the index's copy);
 * an UpdateItem counts the values it writes plus 512 bytes for the rest
 * of the item; reads 0.5 RRU per 4 KB eventually consistent, 1 strongly consistent.
 */
export function requestUnits(target: string, body: string): { write: number; read: number } {
  const op = target.split(':')[1] ?? '';
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { write: 0, read: 0 };
  }
  const writeUnits = (item: unknown) => {
    const record = (item ?? {}) as Record<string, AttributeValue>;
    return Math.max(1, Math.ceil(itemBytes(record) / 1024)) * ('GSI1PK' in record ? 2 : 1);
  };
  const updateUnits = (request: Record<string, unknown>) => {
    const values = (request['ExpressionAttributeValues'] ?? {}) as Record<string, AttributeValue>;
    return Math.max(1, Math.ceil((itemBytes(values) + UPDATED_ITEM_REST_BYTES) / 1024));
  };
  switch (op) {
    case 'PutItem':
      return { write: writeUnits(parsed['Item']), read: 0 };
    case 'UpdateItem':
      return { write: updateUnits(parsed), read: 0 };
    case 'DeleteItem':
      return { write: 1, read: 0 };
    case 'TransactWriteItems': {
      const entries = (parsed['TransactItems'] as Record<string, Record<string, unknown>>[] | undefined) ?? [];
      const write = entries.reduce((sum, entry) => {
        const [kind, action] = Object.entries(entry)[0] ?? ['', {}];
        const units = kind === 'Put' ? writeUnits(action['Item']) : kind === 'Update' ? updateUnits(action) : 1;
        return sum + 2 * units;
      }, 0);
      return { write, read: 0 };
    }
    case 'GetItem':
      return { write: 0, read: parsed['ConsistentRead'] ? 1 : 0.5 };
    case 'BatchGetItem': {
      let read = 0;
      for (const request of Object.values((parsed['RequestItems'] as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>) ?? {})) {
        read += (request.Keys?.length ?? 0) * (request.ConsistentRead ? 1 : 0.5);
      }
      return { write: 0, read };
    }
    case 'Query':
      // one page of a few KB
      return { write: 0, read: parsed['ConsistentRead'] ? 2 : 1 };
    default:
      return { write: 0, read: 0 };
  }
}
