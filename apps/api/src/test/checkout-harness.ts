import { workspaceRoot } from '@orderflow/workspace';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, InternalServerError } from '@aws-sdk/client-dynamodb';
import { type CatalogEntryInput, DynamoDbCatalogRepository, putProducts } from '@orderflow/catalog';
import type { EventBridgeEnvelope } from '@orderflow/contracts';
import { localClientConfig } from '@orderflow/dynamodb-local';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { buildEventEnvelope } from '@orderflow/events';
import { DynamoDbInventoryRepository, getStock } from '@orderflow/inventory';
import { buildCheckoutWorkflowInput, checkoutExecutionName, HANDLER_METADATA_KEY, type HttpResponse, mapCheckoutExecutionResult } from '@orderflow/order-workflow';
import { type CloudFormationTemplate, type EventPattern, eventRulesFromTemplate, type ExecutionRecord, functionsFromTemplate, invokeFunction, type LocalNames, LocalStepFunctions, matchesEventPattern, type PutEventsEntry, resourcesOfType, scheduledRulesFromTemplate, startLocalEventBridgeEndpoint, startStepFunctionsEndpoint, stateMachineDefinitionFromTemplate, type TemplateFunction } from '@orderflow/local-aws';
import { type PaymentSandboxes, startPaymentSandboxes } from '@orderflow/payment-sandboxes';
import {
  compileStateMachine,
  createIntegrations,
  type ExecutionResult,
  type LambdaFunctionDefinition,
  type StateMachine,
  systemClock,
} from '@orderflow/state-machine-runtime';
import { dynamoDb as handlersDynamoDb } from '../wiring';

/**
 * Runs the checkout as deployed, on one machine: the CDK app is synthesized (without
 * bundling), the state machine's definition is read from the template with its references
 * resolved, every Lambda ARN is mapped to the handler its `orderflow:handler` metadata
 * names (imported and invoked in-process), and the direct integrations reach DynamoDB
 * Local. Payments go through the real SDKs to the local sandboxes.
 */

export const REPO_ROOT = workspaceRoot();

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface CheckoutCall {
  response: HttpResponse;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: unknown[]; declineCode?: string } };
  execution: ExecutionResult;
}

export interface CheckoutOptions {
  idempotencyKey?: string;
  requestId?: string;
  signal?: AbortSignal;
  /** Called as each state is entered (nested ones too); abort `signal` there to kill the execution before that state runs. */
  onStateEntered?: (stateName: string) => void;
}

export interface CheckoutHarness {
  template: CloudFormationTemplate;
  table: TestTable;
  /** The sandboxes as they run now (a restart replaces them). */
  readonly sandboxes: PaymentSandboxes;
  machine: StateMachine;
  /** Step Functions on this machine, hosting the checkout machine; its endpoint is the functions' AWS_ENDPOINT_URL_SFN. */
  stepFunctions: LocalStepFunctions;
  /** Every event the workflow put on the bus, as EventBridge would deliver it. */
  events: EventBridgeEnvelope[];
  functions: TemplateFunction[];
  checkout(body: unknown, options?: CheckoutOptions): Promise<CheckoutCall>;
  /**
   * Stops both sandboxes and starts them again on the same ports, credentials and ledgers, as
   * a provider is after our crash: it still knows every payment and idempotency key.
   */
  restartSandboxes(): Promise<void>;
  /** Executions started through the Step Functions endpoint (e.g. by recover-checkouts), newest first. */
  startedExecutions(): ExecutionRecord[];
  /** Runs the state machine with a raw input, as a direct StartSyncExecution would. */
  execute(input: unknown): Promise<CheckoutCall>;
  seed(products: CatalogEntryInput[]): Promise<void>;
  stock(productIds: readonly string[]): Promise<Record<string, number>>;
  /** The in-process handler of a function, by handler file name (e.g. `save-order`). */
  handler(name: string): Handler;
  /** Replaces a function's handler (fault injection) until the returned function is called. */
  override(name: string, handler: Handler): () => void;
  /** Moves the executions' clock (`$now()`, `$millis()`, start times) by `ms`: time passing for locks and expiries. */
  advanceClock(ms: number): void;
  /** The next `count` PutEvents entries fail (EventBridge answers a failed entry). */
  failNextEvents(count: number): void;
  /**
   * Until the returned function is called, every DynamoDB request of the handlers whose
   * input `matches` fails as DynamoDB's own 500 (InternalServerError) would, in the SDK.
   */
  failDynamoDb(matches: (input: Record<string, unknown>) => boolean): () => void;
  /**
   * Runs what a scheduled rule of the template targets (e.g. `redrive-outbox`), as
   * EventBridge's scheduler would invoke it; returns the handler's result.
   */
  runScheduled(handlerName: string): Promise<unknown>;
  /** Delivers recorded events to the consumers the template's rules name; returns what each returned. */
  deliver(events: EventBridgeEnvelope[]): Promise<{ consumer: string; eventId: string; result: unknown }[]>;
  close(): Promise<void>;
}

/** Synthesizes the CDK app (no bundling, with these `-c` context values) into a temporary directory; returns the template. */
export function synthesizeTemplate(context: Record<string, string> = {}): CloudFormationTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'orderflow-workflow-'));
  try {
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(REPO_ROOT, 'apps', 'infra', 'src', 'synth.ts'),
        '--no-bundle',
        '--outdir',
        outdir,
        ...Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    if (run.status !== 0) throw new Error(`synth failed:\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(readFileSync(join(outdir, 'Orderflow.template.json'), 'utf8')) as CloudFormationTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A handler run as Lambda runs it (local-aws's one in-process invoker); a failure is thrown as the error it was. */
async function invoke(fn: TemplateFunction, handler: Handler, event: unknown): Promise<unknown> {
  const outcome = await invokeFunction({ name: fn.logicalId, handler: handler as LambdaFunctionDefinition['handler'], timeoutSeconds: fn.timeoutSeconds }, event, {
    region: 'us-east-1',
    accountId: '000000000000',
  });
  if (outcome.ok) return outcome.result;
  throw Object.assign(new Error(outcome.error?.errorMessage ?? 'the function failed'), { name: outcome.error?.errorType ?? 'Error' });
}

export async function startCheckoutHarness(template: CloudFormationTemplate = synthesizeTemplate()): Promise<CheckoutHarness> {
  const table = await createTestTable('checkout');
  // The sandboxes keep their ledgers in a folder, so a restart is a provider's (restartSandboxes).
  const sandboxesDir = mkdtempSync(join(tmpdir(), 'orderflow-sandboxes-'));
  let sandboxes = await startPaymentSandboxes({ dataDir: sandboxesDir });

  const [tableId] = resourcesOfType(template, 'AWS::DynamoDB::Table');
  const [busId] = resourcesOfType(template, 'AWS::Events::EventBus');
  const [stateMachineId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  if (!tableId || !busId || !stateMachineId) throw new Error('the template has no table, bus or state machine');
  const stepFunctions = new LocalStepFunctions({ region: 'us-east-1', accountId: '000000000000' });
  const names: LocalNames = {
    refs: { [tableId]: table.tableName, [busId]: 'orderflow-local', [stateMachineId]: stepFunctions.stateMachineArn(stateMachineId) },
  };

  // The functions' environment as the template sets it, made local: the table's name is
  // resolved, the sandboxes replace Secrets Manager, and the SDK points at DynamoDB Local.
  const functions = functionsFromTemplate(template, names, HANDLER_METADATA_KEY);
  const environment: Record<string, string> = {};
  for (const fn of functions) Object.assign(environment, fn.environment);
  delete environment['PAYMENT_SECRETS_ARN'];
  const logLevel = process.env['POWERTOOLS_LOG_LEVEL'];
  Object.assign(process.env, environment, sandboxes.env, {
    ...(logLevel ? { POWERTOOLS_LOG_LEVEL: logLevel } : {}),
    // One pass per run of recover-checkouts: a test runs it when it wants a pass.
    RECOVERY_PASSES: '1',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });

  // DynamoDB faults of the handlers, injected in their SDK client's middleware stack.
  let dynamoDbFault: ((input: Record<string, unknown>) => boolean) | undefined;
  handlersDynamoDb().middlewareStack.add(
    (next) => async (args) => {
      if (dynamoDbFault?.(args.input as Record<string, unknown>)) {
        throw new InternalServerError({ message: 'simulated DynamoDB fault', $metadata: { httpStatusCode: 500 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'orderflowTestDynamoDbFault' },
  );

  const handlers = new Map<string, Handler>();
  const byName = new Map<string, TemplateFunction>();
  for (const fn of functions) {
    const module = (await import(pathToFileURL(join(REPO_ROOT, fn.handlerFile)).href)) as Record<string, Handler>;
    const handler = module[fn.handlerExport];
    if (typeof handler !== 'function') throw new Error(`${fn.handlerSource} exports no handler`);
    handlers.set(fn.arn, handler);
    byName.set(fn.handlerFile.replace(/^.*\/([a-z-]+)\.ts$/, '$1'), fn);
  }
  const overrides = new Map<string, Handler>();
  const lambdaFunctions: Record<string, LambdaFunctionDefinition> = {};
  for (const fn of functions) {
    lambdaFunctions[fn.arn] = {
      timeoutSeconds: fn.timeoutSeconds,
      // The runtime's Lambda integration invokes it (the one in-process invoker) with its context.
      handler: ((event: unknown, context: unknown) => {
        const current = overrides.get(fn.arn) ?? handlers.get(fn.arn);
        if (!current) throw new Error(`no handler for ${fn.arn}`);
        return current(event, context);
      }) as LambdaFunctionDefinition['handler'],
    };
  }

  const events: EventBridgeEnvelope[] = [];
  let failingEntries = 0;
  let clockOffsetMs = 0;
  /** PutEvents as the bus answers it, for the workflow's direct integration and the SDK alike. */
  const putEvents = (entries: PutEventsEntry[] | Record<string, unknown>[]) => {
    const results = (entries as Record<string, unknown>[]).map((entry) => {
      if (failingEntries > 0) {
        failingEntries--;
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'simulated EventBridge failure' };
      }
      const detail = typeof entry['Detail'] === 'string' ? entry['Detail'] : JSON.stringify(entry['Detail']);
      const envelope = buildEventEnvelope({
        EventBusName: String(entry['EventBusName']),
        Source: String(entry['Source']),
        DetailType: String(entry['DetailType']),
        Detail: detail,
      });
      events.push(envelope);
      return { EventId: envelope.id };
    });
    return { Entries: results, FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length };
  };
  // The same bus over HTTP (EventBridge's JSON protocol), for handlers that publish with the SDK.
  const eventBridgeEndpoint = await startLocalEventBridgeEndpoint((entries) => putEvents(entries) as ReturnType<Parameters<typeof startLocalEventBridgeEndpoint>[0]>);
  process.env['AWS_ENDPOINT_URL_EVENTBRIDGE'] = eventBridgeEndpoint.endpoint;
  const dynamoDb = new DynamoDBClient(localClientConfig(table.endpoint));
  const definition = stateMachineDefinitionFromTemplate(template, names, stateMachineId);
  const machine = compileStateMachine(definition, {
    integrations: createIntegrations({
      lambdaFunctions,
      dynamoDb,
      eventBridge: (entries) => putEvents(entries as Record<string, unknown>[]),
    }),
    waitScale: 0,
    clock: { now: () => systemClock.now() + clockOffsetMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) },
    stateMachineName: stateMachineId,
  });

  const run = async (input: unknown, name?: string, options: Omit<CheckoutOptions, 'idempotencyKey' | 'requestId'> = {}): Promise<CheckoutCall> => {
    const execution = await machine.execute(input, {
      ...(name ? { name } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onStateEntered ? { onStateEntered: options.onStateEntered } : {}),
    });
    const response = mapCheckoutExecutionResult({
      status: execution.status,
      output: execution.output === undefined ? undefined : JSON.stringify(execution.output),
      error: execution.error,
      cause: execution.cause,
    });
    return { response, body: JSON.parse(response.body) as CheckoutCall['body'], execution };
  };

  // Step Functions' API for the functions that start the checkout (recover-checkouts).
  stepFunctions.hostStateMachine({
    name: stateMachineId,
    type: 'EXPRESS',
    definition: JSON.stringify(definition),
    machine,
    run: async (input, options) => (await run(input, options.name, { signal: options.signal })).execution,
  });
  const stepFunctionsEndpoint = await startStepFunctionsEndpoint(stepFunctions);
  process.env['AWS_ENDPOINT_URL_SFN'] = stepFunctionsEndpoint.endpoint;

  const catalog = new DynamoDbCatalogRepository(table.documentClient, table.tableName);
  const inventory = new DynamoDbInventoryRepository(table.documentClient, table.tableName);
  const rules = eventRulesFromTemplate(template, names);
  const schedules = scheduledRulesFromTemplate(template, names);

  return {
    template,
    table,
    get sandboxes() {
      return sandboxes;
    },
    machine,
    stepFunctions,
    events,
    functions,
    checkout: (body, options = {}) => {
      const requestId = options.requestId ?? crypto.randomUUID();
      const headers: Record<string, string> = options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {};
      return run(buildCheckoutWorkflowInput({ body, headers, requestId }), checkoutExecutionName(body, requestId), options);
    },
    restartSandboxes: async () => {
      const { stripe, paypal } = sandboxes;
      await sandboxes.stop();
      sandboxes = await startPaymentSandboxes({
        dataDir: sandboxesDir,
        stripe: { port: stripe.port, secretKey: stripe.secretKey },
        paypal: { port: paypal.port, clientId: paypal.clientId, clientSecret: paypal.clientSecret },
      });
    },
    startedExecutions: () => stepFunctions.listExecutions(stepFunctions.stateMachineArn(stateMachineId)),
    execute: (input) => run(input),
    seed: async (products) => {
      await putProducts(catalog, products, { resetStock: true });
    },
    stock: async (productIds) => {
      const levels: Record<string, number> = {};
      for (const id of productIds) levels[id] = (await getStock(inventory, id)).available;
      return levels;
    },
    handler: (name) => {
      const fn = byName.get(name);
      const handler = fn ? handlers.get(fn.arn) : undefined;
      if (!fn || !handler) throw new Error(`no function ${name}`);
      return (event, context) => (context === undefined ? (invoke(fn, handler, event) as Promise<unknown>) : handler(event, context));
    },
    override: (name, handler) => {
      const fn = byName.get(name);
      if (!fn) throw new Error(`no function ${name}`);
      overrides.set(fn.arn, handler);
      return () => overrides.delete(fn.arn);
    },
    advanceClock: (ms) => {
      clockOffsetMs += ms;
    },
    failNextEvents: (count) => {
      failingEntries = count;
    },
    failDynamoDb: (matches) => {
      dynamoDbFault = matches;
      return () => {
        dynamoDbFault = undefined;
      };
    },
    runScheduled: async (handlerName) => {
      const fn = byName.get(handlerName);
      const schedule = schedules.find((rule) => fn && rule.targetArns.includes(fn.arn));
      const handler = fn ? handlers.get(fn.arn) : undefined;
      if (!fn || !schedule || !handler) throw new Error(`no scheduled rule targets ${handlerName}`);
      const event = {
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: [`arn:aws:events:us-east-1:000000000000:rule/${schedule.logicalId}`],
        detail: {},
      };
      return invoke(fn, handler, event);
    },
    deliver: async (delivered) => {
      const results: { consumer: string; eventId: string; result: unknown }[] = [];
      for (const event of delivered) {
        for (const rule of rules) {
          if (!matchesEventPattern(rule.eventPattern as EventPattern, event)) continue;
          for (const arn of rule.targetArns) {
            const fn = functions.find((f) => f.arn === arn);
            const handler = handlers.get(arn);
            if (!fn || !handler) throw new Error(`rule ${rule.logicalId} targets unknown ${arn}`);
            results.push({ consumer: fn.handlerFile, eventId: event.id, result: await invoke(fn, handler, event) });
          }
        }
      }
      return results;
    },
    close: async () => {
      dynamoDb.destroy();
      await eventBridgeEndpoint.stop();
      await stepFunctionsEndpoint.stop();
      await stepFunctions.stop();
      await sandboxes.stop();
      rmSync(sandboxesDir, { recursive: true, force: true });
      await table.drop();
    },
  };
}
