/**
 * Lambda functions as local handlers: `arn:aws:states:::lambda:invoke` (the optimized
 * integration, with its `Payload`/`StatusCode`/`SdkHttpMetadata` result) and bare function
 * ARNs (`arn:aws:lambda:<region>:<account>:function:<name>`, whose result is the payload).
 * Handlers get a Lambda-shaped context and a JSON copy of the event; thrown errors map to
 * Error/Cause exactly as the Node.js Lambda runtime reports them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TaskFailure } from '../errors';
import { type Invocation, invokeLambdaHandler } from '../lambda-invoker';
import { isJsonObject, type Json } from '../json';
import { httpDate, sdkErrorCause, sdkMetadata } from './http-metadata';
import { parseResource, type IntegrationProvider, type TaskContext, type TaskIntegration } from './types';

/** The context object a handler receives (the shape of `Context` in @types/aws-lambda). */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: undefined;
  clientContext?: undefined;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
}

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/**
 * A handler: `(event, context) => Promise<result>`, or callback style. The event parameter is
 * typed `never` so handlers of any event type can be registered.
 */
export type LambdaHandler = (event: never, context: LambdaContext, callback: LambdaCallback) => unknown;

export interface LambdaFunctionDefinition {
  handler: LambdaHandler;
  /** The function's own timeout; past it the invocation fails with Sandbox.Timedout (like Lambda). */
  timeoutSeconds?: number;
  memorySizeMB?: number;
  /**
   * How the function's runtime writes its response (default JSON.stringify, as the Node.js
   * runtime does). It decides the payload text, hence `Content-Length` in lambda:invoke results.
   */
  serializeResponse?: (value: unknown) => string;
}

export interface LambdaIntegrationOptions {
  /** Functions by name (`reserve-inventory`) or full ARN. */
  functions: Record<string, LambdaHandler | LambdaFunctionDefinition>;
}

interface ResolvedFunction {
  name: string;
  definition: LambdaFunctionDefinition;
}


/** `name`, `name:qualifier`, `123456789012:function:name`, or a full function ARN. */
export function parseFunctionName(value: string): { name: string; qualifier: string | undefined; arn: boolean } {
  const arn = /^arn:aws[a-z-]*:lambda:([a-z0-9-]*):(\d*):function:([^:]+)(?::(.+))?$/.exec(value);
  if (arn) return { name: arn[3] as string, qualifier: arn[4], arn: true };
  const partial = /^(\d+):function:([^:]+)(?::(.+))?$/.exec(value);
  if (partial) return { name: partial[2] as string, qualifier: partial[3], arn: false };
  const idx = value.indexOf(':');
  return idx < 0 ? { name: value, qualifier: undefined, arn: false } : { name: value.slice(0, idx), qualifier: value.slice(idx + 1), arn: false };
}

// Random bytes drawn 4 KiB at a time (as crypto.randomUUID caches them): a synchronous
// randomBytes() call per invocation cost more than the rest of the trace header.
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString('hex', randomOffset - bytes, randomOffset);
}

function traceId(now: number): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomHex(12)};Parent=${randomHex(8)};Sampled=0;Lineage=1:${randomHex(4)}:0`;
}

export class LambdaFunctions implements IntegrationProvider {
  readonly description: string;
  private readonly byName = new Map<string, LambdaFunctionDefinition>();
  private readonly byArn = new Map<string, LambdaFunctionDefinition>();

  constructor(options: LambdaIntegrationOptions) {
    for (const [key, value] of Object.entries(options.functions)) {
      const definition = typeof value === 'function' ? { handler: value } : value;
      if (key.startsWith('arn:')) {
        this.byArn.set(key, definition);
        const { name } = parseFunctionName(key);
        if (!this.byName.has(name)) this.byName.set(name, definition);
      } else this.byName.set(key, definition);
    }
    this.description = `arn:aws:states:::lambda:invoke and Lambda function ARNs for ${[...this.byName.keys()].join(', ') || '(no functions)'}`;
  }

  /** Registers (or replaces) a function after construction. */
  add(nameOrArn: string, handler: LambdaHandler | LambdaFunctionDefinition): this {
    const definition = typeof handler === 'function' ? { handler } : handler;
    if (nameOrArn.startsWith('arn:')) this.byArn.set(nameOrArn, definition);
    this.byName.set(parseFunctionName(nameOrArn).name, definition);
    return this;
  }

  private find(value: string): ResolvedFunction | undefined {
    const parsed = parseFunctionName(value);
    const definition = this.byArn.get(value) ?? this.byName.get(parsed.name);
    return definition ? { name: parsed.name, definition } : undefined;
  }

  resolve(resource: string): TaskIntegration | undefined {
    const service = parseResource(resource);
    if (service?.service === 'lambda' && service.action === 'invoke') return this.invokeIntegration();
    if (/^arn:aws[a-z-]*:lambda:/.test(resource)) {
      const fn = this.find(resource);
      return fn ? this.functionIntegration(resource, fn) : undefined;
    }
    return undefined;
  }

  /** Runs a handler the way the Lambda runtime does. */
  call(fn: ResolvedFunction, eventText: string | undefined, context: TaskContext, qualifier?: string): Promise<Invocation> {
    return invokeLambdaHandler(fn.definition, {
      functionName: fn.name,
      qualifier,
      region: context.region,
      accountId: context.accountId,
      eventText,
      now: context.now(),
      remainingTimeMillis: () => context.remainingTimeMillis(),
    });
  }

  private functionIntegration(resource: string, fn: ResolvedFunction): TaskIntegration {
    const { qualifier } = parseFunctionName(resource);
    return {
      resourceType: 'lambda',
      resourceName: resource,
      historyStyle: 'lambda-function',
      invoke: async (parameters, context) => {
        const invocation = await this.call(fn, JSON.stringify(parameters), context, qualifier);
        if (!invocation.ok) throw new TaskFailure(invocation.errorType ?? 'Lambda.Unknown', invocation.payloadText);
        return JSON.parse(invocation.payloadText) as Json;
      },
    };
  }

  private invokeIntegration(): TaskIntegration {
    return {
      resourceType: 'lambda',
      resourceName: 'invoke',
      patterns: ['waitForTaskToken'],
      validateParameters: (parameters) => {
        if (!isJsonObject(parameters)) return [];
        return 'FunctionName' in parameters || 'FunctionName.$' in parameters ? [] : ["The field 'FunctionName' is required but was missing"];
      },
      invoke: async (parameters, context) => {
        if (!isJsonObject(parameters) || typeof parameters['FunctionName'] !== 'string') {
          throw new TaskFailure(
            'Lambda.InvalidParameterValueException',
            sdkErrorCause("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null", 'AWSLambda', 400, 'ValidationException', randomUUID()),
          );
        }
        const functionName = parameters['FunctionName'];
        const parsed = parseFunctionName(functionName);
        const qualifier = (typeof parameters['Qualifier'] === 'string' ? parameters['Qualifier'] : undefined) ?? parsed.qualifier;
        const fn = this.find(functionName);
        if (!fn) {
          const arn = `arn:aws:lambda:${context.region}:${context.accountId}:function:${parsed.name}:${qualifier ?? '$LATEST'}`;
          throw new TaskFailure(
            'Lambda.ResourceNotFoundException',
            sdkErrorCause(`Function not found: ${arn}`, 'AWSLambda', 404, 'ResourceNotFoundException', randomUUID()),
          );
        }
        const payload = parameters['Payload'];
        // A string Payload is the request body itself; an absent/null one sends no body ({} to the function).
        const eventText = payload === undefined || payload === null ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
        const version = qualifier && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
        if (parameters['InvocationType'] === 'Event') {
          void this.call(fn, eventText, context, qualifier);
          return { Payload: '', StatusCode: 202, ...sdkMetadata(this.headers(0, randomUUID(), context, version), randomUUID(), 202) };
        }
        const invocation = await this.call(fn, eventText, context, qualifier);
        if (!invocation.ok) throw new TaskFailure(invocation.errorType ?? 'Lambda.Unknown', invocation.payloadText);
        const bytes = Buffer.byteLength(invocation.payloadText, 'utf8');
        return {
          ExecutedVersion: version,
          Payload: JSON.parse(invocation.payloadText) as Json,
          ...sdkMetadata(this.headers(bytes, invocation.requestId, context, version), invocation.requestId),
          StatusCode: 200,
        };
      },
    };
  }

  private headers(contentLength: number, requestId: string, context: TaskContext, version: string): [string, string][] {
    return [
      ['X-Amz-Executed-Version', version],
      ['x-amzn-Remapped-Content-Length', '0'],
      ['Connection', 'keep-alive'],
      ['x-amzn-RequestId', requestId],
      ['Content-Length', String(contentLength)],
      ['Date', httpDate(context.now())],
      ['X-Amzn-Trace-Id', traceId(context.now())],
      ['Content-Type', 'application/json'],
    ];
  }
}

/** Local Lambda functions for `lambda:invoke` and bare function ARNs. */
export function lambdaIntegration(options: LambdaIntegrationOptions): LambdaFunctions {
  return new LambdaFunctions(options);
}
