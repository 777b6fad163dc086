/**
 * `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem` through an injected
 * DynamoDB client (e.g. `new DynamoDBClient(...)` pointed at DynamoDB Local). Results have
 * AWS's shape (the API response plus SdkHttpMetadata/SdkResponseMetadata); errors are named
 * `DynamoDB.<ExceptionName>` with the Java SDK's cause format.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { TaskFailure } from '../errors';
import { isJsonObject, type Json, type JsonObject } from '../json';
import { crc32, httpDate, sdkErrorCause, sdkMetadata } from './http-metadata';
import { parseResource, type IntegrationProvider, type TaskIntegration } from './types';

/** What the integration needs of a client: the AWS SDK v3 `send`. */
export interface DynamoDbSender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

const SUPPORTED: Record<string, string[]> = {
  getItem: ['Key', 'TableName', 'AttributesToGet', 'ConsistentRead', 'ExpressionAttributeNames', 'ProjectionExpression', 'ReturnConsumedCapacity'],
  putItem: [
    'Item', 'TableName', 'ConditionalOperator', 'ConditionExpression', 'Expected', 'ExpressionAttributeNames',
    'ExpressionAttributeValues', 'ReturnConsumedCapacity', 'ReturnItemCollectionMetrics', 'ReturnValues',
    'ReturnValuesOnConditionCheckFailure',
  ],
  deleteItem: [
    'Key', 'TableName', 'ConditionalOperator', 'ConditionExpression', 'Expected', 'ExpressionAttributeNames',
    'ExpressionAttributeValues', 'ReturnConsumedCapacity', 'ReturnItemCollectionMetrics', 'ReturnValues',
    'ReturnValuesOnConditionCheckFailure',
  ],
  updateItem: [
    'Key', 'TableName', 'AttributeUpdates', 'ConditionalOperator', 'ConditionExpression', 'Expected',
    'ExpressionAttributeNames', 'ExpressionAttributeValues', 'ReturnConsumedCapacity', 'ReturnItemCollectionMetrics',
    'ReturnValues', 'UpdateExpression', 'ReturnValuesOnConditionCheckFailure',
  ],
};

const REQUIRED: Record<string, string[]> = {
  getItem: ['TableName', 'Key'],
  putItem: ['TableName', 'Item'],
  deleteItem: ['TableName', 'Key'],
  updateItem: ['TableName', 'Key'],
};

const COMMANDS: Record<string, new (input: never) => unknown> = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  deleteItem: DeleteItemCommand,
  updateItem: UpdateItemCommand,
};

// Binary attribute values travel as base64 text in JSON and as bytes in the SDK.
function toSdk(value: Json): unknown {
  if (Array.isArray(value)) return value.map(toSdk);
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'B' && typeof value['B'] === 'string') return { B: Buffer.from(value['B'], 'base64') };
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value['BS'])) {
    return { BS: value['BS'].map((b) => Buffer.from(String(b), 'base64')) };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = toSdk(value[key] as Json);
  return out;
}

function fromSdk(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(fromSdk);
  if (value === null || typeof value !== 'object') return (value ?? null) as Json;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '$metadata' || v === undefined) continue;
    out[key] = fromSdk(v);
  }
  return out;
}

function failure(error: unknown): TaskFailure {
  const e = error as { name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  if (e && typeof e === 'object' && e.$metadata && e.name) {
    return new TaskFailure(
      `DynamoDB.${e.name}`,
      sdkErrorCause(e.message ?? e.name, 'AmazonDynamoDBv2', e.$metadata.httpStatusCode ?? 400, e.name, e.$metadata.requestId ?? randomUUID()),
    );
  }
  return new TaskFailure('DynamoDB.AmazonDynamoDBException', error instanceof Error ? error.message : String(error));
}

export class DynamoDbIntegration implements IntegrationProvider {
  readonly description = 'arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem';

  constructor(private readonly client: DynamoDbSender) {}

  resolve(resource: string): TaskIntegration | undefined {
    const parsed = parseResource(resource);
    if (parsed?.service !== 'dynamodb' || !(parsed.action in COMMANDS)) return undefined;
    const action = parsed.action;
    const client = this.client;
    const Command = COMMANDS[action] as new (input: never) => unknown;
    return {
      resourceType: 'dynamodb',
      resourceName: action,
      validateParameters: (parameters) => {
        if (!isJsonObject(parameters)) return [];
        const problems: string[] = [];
        const names = Object.keys(parameters).map((k) => (k.endsWith('.$') ? k.slice(0, -2) : k));
        for (const name of names) {
          if (!(SUPPORTED[action] as string[]).includes(name)) problems.push(`The field '${name}' is not supported by Step Functions for dynamodb:${action}`);
        }
        for (const name of REQUIRED[action] as string[]) {
          if (!names.includes(name)) problems.push(`The field '${name}' is required but was missing`);
        }
        return problems;
      },
      invoke: async (parameters, context) => {
        if (!isJsonObject(parameters)) {
          throw new TaskFailure('DynamoDB.ValidationException', 'The parameters of a DynamoDB task must be an object');
        }
        let output: unknown;
        try {
          output = await client.send(new Command(toSdk(parameters) as never), { abortSignal: context.signal });
        } catch (error) {
          if (context.signal.aborted) throw error;
          throw failure(error);
        }
        const body = fromSdk(output) as JsonObject;
        const bodyText = JSON.stringify(body);
        const requestId = (output as { $metadata?: { requestId?: string } })?.$metadata?.requestId ?? randomUUID();
        return {
          ...body,
          ...sdkMetadata(
            [
              ['Server', 'Server'],
              ['Connection', 'keep-alive'],
              ['x-amzn-RequestId', requestId],
              ['x-amz-crc32', String(crc32(bodyText))],
              ['Content-Length', String(Buffer.byteLength(bodyText, 'utf8'))],
              ['Date', httpDate(context.now())],
              ['Content-Type', 'application/x-amz-json-1.0'],
            ],
            requestId,
          ),
        };
      },
    };
  }
}

/** The four item operations through a DynamoDB client. */
export function dynamoDbIntegration(client: DynamoDbSender): DynamoDbIntegration {
  return new DynamoDbIntegration(client);
}
