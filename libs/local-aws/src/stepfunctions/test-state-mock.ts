import { parseResource, type Json } from '@orderflow/state-machine-runtime';
import { StepFunctionsError } from './local-step-functions';

/**
 * TestState checks a mocked result against the API model of the action the Task calls:
 * STRICT — the required fields are there and every field is one the action answers, of its
 * type; PRESENT — the fields given are the action's, of their types; NONE — nothing. The models
 * here are the answers of the actions this runtime integrates with (Lambda Invoke, DynamoDB's
 * item actions, EventBridge PutEvents); another action's mock is taken as it is.
 */

type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'any';

interface ActionModel {
  fields: Record<string, FieldType>;
  required: readonly string[];
}

const DYNAMODB_ITEM_ANSWER: ActionModel = {
  fields: { Attributes: 'object', ConsumedCapacity: 'object', ItemCollectionMetrics: 'object' },
  required: [],
};

const MODELS: Record<string, ActionModel> = {
  'lambda:invoke': {
    fields: { StatusCode: 'integer', Payload: 'any', ExecutedVersion: 'string', FunctionError: 'string', LogResult: 'string', SdkHttpMetadata: 'object', SdkResponseMetadata: 'object' },
    required: ['StatusCode'],
  },
  'dynamodb:getItem': { fields: { Item: 'object', ConsumedCapacity: 'object' }, required: [] },
  'dynamodb:putItem': DYNAMODB_ITEM_ANSWER,
  'dynamodb:updateItem': DYNAMODB_ITEM_ANSWER,
  'dynamodb:deleteItem': DYNAMODB_ITEM_ANSWER,
  'events:putEvents': { fields: { Entries: 'array', FailedEntryCount: 'integer' }, required: ['Entries', 'FailedEntryCount'] },
};

function typeOf(value: Json): FieldType {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'any';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as FieldType;
}

function fits(expected: FieldType, value: Json): boolean {
  if (expected === 'any') return true;
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

/** The model's name for a Task resource (`arn:aws:states:::lambda:invoke` → `lambda:invoke`; a function ARN is an invoke). */
function actionOf(resource: string | undefined): string | undefined {
  if (resource === undefined) return undefined;
  if (/^arn:aws[\w-]*:lambda:/.test(resource)) return 'lambda:invoke';
  const parsed = parseResource(resource);
  return parsed ? `${parsed.service}:${parsed.action}` : undefined;
}

export function validateMockResult(resource: string | undefined, result: Json, mode: 'STRICT' | 'PRESENT' | 'NONE'): void {
  if (mode === 'NONE') return;
  const action = actionOf(resource);
  const model = action ? MODELS[action] : undefined;
  if (!model) return;
  const fail = (message: string) => {
    throw new StepFunctionsError('ValidationException', `The mock result does not match the ${action} API model (${mode}): ${message}`);
  };
  if (typeOf(result) !== 'object') fail('it must be a JSON object');
  const fields = result as Record<string, Json>;
  for (const [key, value] of Object.entries(fields)) {
    const expected = model.fields[key];
    if (expected === undefined) fail(`'${key}' is not a field of the answer`);
    else if (!fits(expected, value)) fail(`'${key}' must be ${expected === 'integer' ? 'an integer' : `a ${expected}`}`);
  }
  if (mode === 'STRICT') for (const key of model.required) if (!(key in fields)) fail(`'${key}' is required`);
}
