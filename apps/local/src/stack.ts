import { createServer, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  cacheDir,
  checkJava,
  type DynamoDbLocal,
  freePort,
  localClientConfig,
  startDynamoDbLocal,
  workspaceRoot,
} from '@orderflow/dynamodb-local';
import { CHECKOUT_REQUEST_TEMPLATE, CHECKOUT_WORKFLOW_ID, checkoutResponseTemplate, STATE_MACHINE_ARN_TOKEN, WORKFLOW_METADATA_KEY } from '@orderflow/order-workflow';
import { type PaymentSandboxesProcess, startPaymentSandboxesProcess } from '@orderflow/payment-sandboxes';
import { formatSeedReport, seedDefaultCatalog } from '@orderflow/seed';
import { compileStateMachine } from '@orderflow/state-machine-runtime';
import {
  type ApiFromTemplate,
  apiFromTemplate,
  type CloudFormationTemplate,
  DEFAULT_EVENT_DELIVERY_DELAY_MS,
  invokeFunction,
  LocalEventBus,
  LocalRestApi,
  type LocalSecretsManager,
  LocalStepFunctions,
  LocalUserPool,
  type PasswordPolicy,
  resourcesOfType,
  startCognitoEndpoint,
  startLocalEventBridgeEndpoint,
  startLocalSecretsManager,
  startStepFunctionsEndpoint,
  stateMachineDefinitionFromTemplate,
  type StepFunctionsEndpoint,
  theResourceWithMetadata,
} from '@orderflow/local-aws';
import { ERROR_CATALOGUE, errorBody, openApiDocument } from '@orderflow/contracts';
import { createLocalIdentity } from './identity/local-identity';
import { captureFunctionLogs } from './function-logs';
import { annotateRequest, checkoutIntegration, EXECUTION_HEADER } from './gateway/checkout-integration';
import { createInspection, type ReleaseInfo } from './inspect/inspection';
import { type FunctionEnvironmentSpecs, functionEnvironment, type LocalEndpoints, UNSET_IN_LAMBDA } from './lambda/function-environment';
import { type LocalFunction, loadFunctions } from './lambda/local-functions';
import { createLocalLog, type LocalLog, type LogFormat } from './log';
import { buildStorefront, type StorefrontBuild } from './storefront/storefront-build';
import { createStorefrontPages } from './storefront/storefront-pages';
import { type SynthOutcome, synthesizeTemplate } from './synth';
import {
  busRulesFromTemplate,
  functionSpecsFromTemplate,
  scheduledRulesForBus,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  type LocalResourceNames,
  localResourceNames,
} from './template/local-resources';
import { ensureTableFromTemplate, tableFromTemplate } from './template/table';
import { LocalStateMachine } from './workflow/checkout-workflow';

export interface LocalStackOptions {
  /** HTTP port (0 picks a free one). Default 3000. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Keep no data: DynamoDB Local in memory. */
  inMemory?: boolean;
  /** Where data is kept across restarts (default `<repo>/.data`). */
  dataDir?: string;
  logFormat?: LogFormat;
  log?: LocalLog;
  /** Synthesize again even when the sources did not change. */
  freshSynth?: boolean;
  /** Multiplies AWS's retry delays of event deliveries (default 1/60). */
  retryDelayScale?: number;
  /** How long after PutEvents the bus delivers an event, ms (default 100; EventBridge's own latency). */
  eventDeliveryDelayMs?: number;
  /** Multiplies the periods of scheduled rules (default 1: real time). */
  scheduleScale?: number;
  /** Show every function log line in text mode (default: warnings and errors). */
  showFunctionLogs?: boolean;
  /** Executions kept for inspection. */
  executionsKept?: number;
  /** Executions run at once; later ones wait in FIFO order (0: no bound). Default 16. */
  maxConcurrentExecutions?: number;
  /** How long a stop waits for requests in flight. */
  drainTimeoutMs?: number;
  /** The instant times are counted from (performance.now() scale; 0 = the process start). */
  startedAt?: number;
  /** A synth the caller started already (`npm start` starts it before loading the rest). */
  synth?: { outcome: Promise<SynthOutcome>; startedAt: number };
}

export interface PhaseTiming {
  phase: string;
  /** When it ended, from the start of startLocalStack. */
  endedAtMs: number;
  durationMs: number;
  detail: string;
}

export interface LocalStack {
  url: string;
  port: number;
  phases: PhaseTiming[];
  readyInMs: number;
  dynamodb: { endpoint: string; tableName: string; dataDir: string | undefined };
  /** The Stripe and PayPal sandboxes, in a process of their own (state and faults through their `/_sandbox/` routes). */
  sandboxes: PaymentSandboxesProcess;
  bus: LocalEventBus;
  stateMachine: LocalStateMachine;
  template: CloudFormationTemplate;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

/** Starts the whole service on this machine (see README: "npm start"). */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const started = options.startedAt ?? performance.now();
  const log = options.log ?? createLocalLog({ format: options.logFormat ?? 'text', startedAt: started });
  const root = workspaceRoot();
  const phases: PhaseTiming[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log.warn(`while stopping: ${(error as Error).message}`);
      }
    }
  };
  /** Runs (or awaits work begun at `begunAt`, done at `endOf(value)`) one startup step and logs it. */
  const phase = async <T>(
    name: string,
    work: () => Promise<T>,
    describe: (value: T) => string,
    begunAt?: number,
    endOf?: (value: T) => number,
  ): Promise<T> => {
    const begin = begunAt ?? performance.now();
    const value = await work();
    const end = endOf?.(value) ?? performance.now();
    const detail = describe(value);
    phases.push({ phase: name, endedAtMs: end - started, durationMs: end - begin, detail });
    log.step(name, `${detail} (${formatDuration(end - begin)})`, { durationMs: Math.round(end - begin) });
    return value;
  };

  let dynamoStart: Promise<DynamoDbLocal> | undefined;
  let sandboxStart: Promise<PaymentSandboxesProcess> | undefined;
  try {
    await phase('java', async () => checkJava(), (command) => `${command} found (DynamoDB Local needs Java 17+)`);
    // The port first: a port in use fails the start now, not after DynamoDB and the synth.
    const server = await phase(
      'port',
      () => listen(answerStarting, options.port ?? 3000, options.host ?? '127.0.0.1'),
      (s) => `listening on ${options.host ?? '127.0.0.1'}:${(s.address() as AddressInfo).port} (503 until ready)`,
    );
    let closingHttp: Promise<void> | undefined;
    const closeHttp = (gateway?: LocalRestApi) => (closingHttp ??= closeServer(server, gateway, options.drainTimeoutMs ?? 10_000));
    cleanups.push(() => closeHttp());
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? join(root, '.data'));
    const dynamoPort = await freePort();
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;

    // DynamoDB Local (a JVM) starts while the CDK app is synthesized and the handlers load.
    dynamoStart = phase(
      'dynamodb',
      async () => {
        const db = await startDynamoDbLocal({ port: dynamoPort, ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}) });
        cleanups.push(() => db.stop());
        return db;
      },
      (db: DynamoDbLocal) => `DynamoDB Local on ${db.endpoint} (${db.dataDir ? `data in ${db.dataDir}` : 'in memory'})`,
    );
    dynamoStart.catch(() => undefined);

    // The payment providers are other machines: their sandboxes run in a process of their own
    // (tied to this one), starting while the synth runs, so their HTTP does not take this core.
    sandboxStart = phase(
      'sandboxes',
      async () => {
        // Their ledgers live beside the table's data: after a restart they still know every payment, as the providers would.
        const s = await startPaymentSandboxesProcess(dataDir ? { dataDir: join(dataDir, 'payment-sandboxes') } : {});
        cleanups.push(() => s.stop());
        return s;
      },
      (s) =>
        `Stripe sandbox on ${s.stripe.url}, PayPal sandbox on ${s.paypal.url} (process ${s.pid}; ledgers ${dataDir ? `in ${join(dataDir, 'payment-sandboxes')}` : 'in memory'})`,
    );
    sandboxStart.catch(() => undefined);

    // The storefront is built (once per change of its sources: cached) while the rest starts.
    const storefrontStart = phase(
      'storefront',
      () => buildStorefront({ workspaceRoot: root, cacheDir: cacheDir() }),
      (b: StorefrontBuild) => `apps/storefront ${b.cached ? '(cached: sources unchanged since the last build)' : '(built with Vite)'}, ${(b.bytes / 1024).toFixed(1)} KiB of JS and CSS`,
    );
    storefrontStart.catch(() => undefined);

    const synth = await phase(
      'synth',
      () => options.synth?.outcome ?? synthesizeTemplate({ workspaceRoot: root, cacheDir: cacheDir(), fresh: options.freshSynth ?? false }),
      (s) =>
        `${Object.keys(s.template.Resources).length} resources from apps/infra ${s.cached ? '(cached: sources unchanged since the last synth)' : '(cdk synth, no bundling)'}`,
      options.synth?.startedAt,
      (s) => s.finishedAt,
    );
    const template = synth.template;
    const names = localResourceNames(template);
    const api = apiFromTemplate(template, names);

    const sandboxes = await sandboxStart;
    const secrets = await startSecrets(names, sandboxes);
    cleanups.push(() => secrets.stop());
    // PutEvents for handlers that publish through the SDK; the bus exists once the workflow step ran.
    let busForEndpoint: LocalEventBus | undefined;
    const eventBridge = await startLocalEventBridgeEndpoint((entries) => {
      if (!busForEndpoint) throw new StartupError('the local event bus is not up yet');
      return busForEndpoint.putEvents(entries);
    });
    cleanups.push(() => eventBridge.stop());
    // Step Functions' API, for the functions that start the checkout (recover-checkouts) and for any SDK or CLI.
    const stepFunctions = new LocalStepFunctions({ region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID });
    const stepFunctionsEndpoint: StepFunctionsEndpoint = await startStepFunctionsEndpoint(stepFunctions);
    cleanups.push(() => stepFunctionsEndpoint.stop());

    const functionLogs = captureFunctionLogs(log, { showAll: options.showFunctionLogs ?? false });
    cleanups.push(() => functionLogs.restore());
    const functions = await phase(
      'functions',
      async () => {
        const specs = functionSpecsFromTemplate(template, names);
        applyFunctionEnvironment(specs, {
          dynamoEndpoint,
          secretsEndpoint: secrets.endpoint,
          eventBridgeEndpoint: eventBridge.endpoint,
          stepFunctionsEndpoint: stepFunctionsEndpoint.endpoint,
          sandboxes,
          scheduleScale: options.scheduleScale ?? 1,
          showFunctionLogs: options.showFunctionLogs ?? false,
          storefrontUrl: `http://localhost:${(server.address() as AddressInfo).port}/shop/`,
        });
        return loadFunctions(root, specs);
      },
      (fns) => `${fns.length} handlers loaded from apps/api with their template environment`,
    );
    const functionsById = new Map(functions.map((fn) => [fn.logicalId, fn]));
    // The storefront origins the template allows (its HTTP functions' ALLOWED_ORIGINS), as the checkout's response template has them.
    const allowedOrigins = (process.env['ALLOWED_ORIGINS'] ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
    checkCheckoutMapping(api, allowedOrigins);
    const userPools = await phase(
      'identity',
      () => openUserPools(template, dataDir),
      (pools) =>
        pools.size === 0
          ? 'no Cognito user pool in the template'
          : `development issuer for ${[...pools.keys()].join(', ')}: RS256 key and users ${dataDir ? `kept in ${join(dataDir, 'identity')}` : 'in memory'}; tokens from POST /_local/auth/token`,
    );
    // Cognito's API (AdminCreateUser, AdminInitiateAuth...) for scripts that provision users, as in AWS.
    const cognito = await startCognitoEndpoint(new Map([...userPools.values()].map((pool) => [pool.userPoolId, pool])));
    cleanups.push(() => cognito.stop());
    const functionsByArn = new Map(functions.map((fn) => [fn.arn, fn]));

    const db = await dynamoStart;
    const client = new DynamoDBClient(localClientConfig(db.endpoint));
    cleanups.push(() => client.destroy());
    const table = tableFromTemplate(template, names.tableName);
    await phase(
      'table',
      () => ensureTableFromTemplate(client, table),
      (outcome) => {
        if (outcome.outcome === 'created') return `table ${names.tableName} created from ${table.logicalId}`;
        if (outcome.differences.length > 0) {
          log.warn(
            `table ${names.tableName} in ${db.dataDir ?? 'memory'} differs from the template: ${outcome.differences.join('; ')} (start with --in-memory, or remove the data folder)`,
          );
        }
        return `table ${names.tableName} already there (kept from the last run)`;
      },
    );
    const documentClient = DynamoDBDocumentClient.from(client);
    await phase(
      'seed',
      async () => {
        const { Items } = await documentClient.send(new ScanCommand({ TableName: names.tableName, Limit: 1 }));
        if ((Items ?? []).length > 0) return undefined;
        return seedDefaultCatalog({ client: documentClient, tableName: names.tableName });
      },
      (report) => (report ? formatSeedReport(report) : 'table not empty: nothing seeded'),
    );

    const { bus, stateMachine } = await phase(
      'workflow',
      async () => {
        const bus = new LocalEventBus({
          busName: names.busName,
          rules: busRulesFromTemplate(template, names),
          scheduledRules: scheduledRulesForBus(template, names),
          scheduleScale: options.scheduleScale ?? 1,
          region: LOCAL_REGION,
          accountId: LOCAL_ACCOUNT_ID,
          retryDelayScale: options.retryDelayScale ?? 1 / 60,
          deliveryDelayMs: options.eventDeliveryDelayMs ?? DEFAULT_EVENT_DELIVERY_DELAY_MS,
          resolveTarget: (arn) => {
            const fn = functionsByArn.get(arn);
            return fn
              ? {
                  name: fn.logicalId,
                  maximumRetryAttempts: fn.asyncMaximumRetryAttempts,
                  deadLetterArn: fn.deadLetterArn,
                  invoke: (event) => invokeFunction(fn, event, { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID }),
                }
              : undefined;
          },
          onDelivery: (event, delivery) =>
            log.event({
              message: `${event.detailType} -> ${delivery.function ?? delivery.targetArn} ${delivery.status}`,
              outcome: delivery.status,
              attempts: delivery.attempts.length,
              order: (event.event.detail as { orderId?: string }).orderId,
              event: event.id,
              rule: delivery.rule,
              deadLetterQueue: delivery.deadLetter?.queueArn,
            }),
        });
        cleanups.push(() => bus.stop());
        busForEndpoint = bus;
        const stateMachineId = theResourceWithMetadata(template, 'AWS::StepFunctions::StateMachine', WORKFLOW_METADATA_KEY, CHECKOUT_WORKFLOW_ID);
        const definition = stateMachineDefinitionFromTemplate(template, names, stateMachineId);
        const dynamoForWorkflow = new DynamoDBClient(localClientConfig(db.endpoint));
        // As the handlers' clients (apps/api withoutSdkLogging): no SDK logging, so no filtered copies of every call.
        dynamoForWorkflow.middlewareStack.remove('loggerMiddleware');
        cleanups.push(() => dynamoForWorkflow.destroy());
        const machine = compileStateMachine(definition, {
          type: stateMachineTypeOf(template, stateMachineId),
          integrations: {
            lambdaFunctions: Object.fromEntries(
              functions.map((fn) => [fn.arn, { handler: fn.handler, timeoutSeconds: fn.timeoutSeconds, memorySizeMB: fn.memorySizeMB }]),
            ),
            // Events an execution puts are delivered once it has answered (then after the bus's delay);
            // only executions call this, so `local` below exists by then.
            eventBridge: (entries, context) => bus.putEvents(entries, { after: local.answeredPromise(context.executionName) }),
            dynamoDb: dynamoForWorkflow,
          },
          region: LOCAL_REGION,
          accountId: LOCAL_ACCOUNT_ID,
          stateMachineName: stateMachineId,
        });
        const local = new LocalStateMachine(machine, log, {
          executionsKept: options.executionsKept ?? 200,
          ...(options.maxConcurrentExecutions !== undefined ? { maxConcurrentExecutions: options.maxConcurrentExecutions } : {}),
        });
        cleanups.push(() => local.stop());
        // Executions started through the Step Functions API run as the gateway's do: queued, inspected, logged.
        stepFunctions.hostStateMachine({
          name: stateMachineId,
          type: stateMachineTypeOf(template, stateMachineId),
          definition: JSON.stringify(definition),
          machine,
          run: async (input, run) => {
            const { record } = await local.startSyncExecution(input, run.name);
            return {
              status: record.status === 'QUEUED' || record.status === 'RUNNING' ? 'ABORTED' : record.status,
              outputJson: record.output,
              error: record.error,
              cause: record.cause,
              startDate: new Date(record.startDate),
              stopDate: new Date(record.stopDate ?? Date.now()),
            };
          },
        });
        cleanups.push(() => stepFunctions.stop());
        return { bus, stateMachine: local, stateMachineId, states: Object.keys(definition.States ?? {}).length };
      },
      (w) =>
        `${w.stateMachineId}: ${w.states} states compiled, ${w.stateMachine.concurrency().limit ?? 'no bound on'} executions at once; event bus ${names.busName} with ${w.bus.ruleCount} rules${w.bus.scheduleCount ? `, ${w.bus.scheduleCount} scheduled` : ''}`,
    );

    const [userPool] = userPools.values();
    const identity = userPool ? createLocalIdentity({ pool: userPool }) : undefined;
    const inspectionPages = createInspection({
      stateMachine,
      release: releaseOf(template),
      bus,
      functionLogs,
      info: () => ({
        dynamodb: { endpoint: db.endpoint, tableName: names.tableName, dataDir: db.dataDir ?? null },
        sandboxes: {
          stripe: { url: sandboxes.stripe.url },
          paypal: { url: sandboxes.paypal.url },
        },
        secretsManager: { endpoint: secrets.endpoint },
        endpoints: {
          dynamodb: db.endpoint,
          stepfunctions: stepFunctionsEndpoint.endpoint,
          'cognito-idp': cognito.endpoint,
          eventbridge: eventBridge.endpoint,
          secretsmanager: secrets.endpoint,
        },
        identity: userPool
          ? {
              issuer: userPool.issuer,
              userPoolId: userPool.userPoolId,
              clientIds: userPool.clientIds,
              cognitoEndpoint: cognito.endpoint,
              token: '/_local/auth/token',
              jwks: '/_local/auth/jwks.json',
            }
          : null,
        openapi: '/openapi.json',
        eventBridge: { endpoint: eventBridge.endpoint, deliveryDelayMs: options.eventDeliveryDelayMs ?? DEFAULT_EVENT_DELIVERY_DELAY_MS },
        stepFunctions: { endpoint: stepFunctionsEndpoint.endpoint, stateMachines: stepFunctions.listStateMachines().map((m) => m.arn) },
        executions: { maxConcurrent: stateMachine.concurrency().limit },
        schedules: scheduledRulesForBus(template, names).map((r) => ({
          rule: r.name,
          scheduleExpression: r.scheduleExpression,
          runsLocally: r.enabled && r.rateMs !== undefined,
          everyMs: r.rateMs === undefined ? null : r.rateMs * (options.scheduleScale ?? 1),
          targets: r.targets.map((t) => t.arn),
        })),
        template: synth.templatePath,
        routes: api.routes.map((r) => ({
          method: r.method,
          path: r.resourcePath,
          integration: r.integration.kind === 'lambda-proxy' ? `lambda-proxy ${r.integration.functionLogicalId}` : 'StartSyncExecution',
        })),
      }),
    });
    const port = (server.address() as AddressInfo).port;
    const openApi = `${JSON.stringify(openApiDocument({ serverUrl: `http://localhost:${port}`, ...(userPool ? { issuer: userPool.issuer } : {}) }), null, 2)}\n`;
    const storefront = createStorefrontPages((await storefrontStart).dir);
    const gateway = new LocalRestApi({
      api,
      functions: functionsById,
      startSyncExecution: checkoutIntegration(stateMachine, allowedOrigins),
      annotate: annotateRequest,
      executionHeader: EXECUTION_HEADER,
      log,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      userPools,
      hostRoutes: async (request, res) => {
        if (storefront(request, res)) return true;
        if (!(request.path === '/_local' || request.path.startsWith('/_local/') || request.path === '/openapi.json')) return false;
        if (request.path === '/openapi.json') {
          if (request.method !== 'GET' && request.method !== 'HEAD') return false;
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(openApi) });
          res.end(request.method === 'HEAD' ? undefined : openApi);
          return true;
        }
        if (identity && (await identity(request, res))) return true;
        return inspectionPages(request, res);
      },
    });
    await phase(
      'http',
      async () => {
        server.removeAllListeners('request');
        server.on('request', gateway.listener);
      },
      () => `local API Gateway: ${api.routes.length} routes of the template on port ${port}`,
    );
    // Requests first: stop taking new ones, let the running ones finish, then the rest.
    cleanups.push(() => closeHttp(gateway));
    // The jobs run once at the start too: what a crash left (a checkout to resume, an event to
    // publish, a compensation to finish) is taken up at once, not a minute later.
    for (const rule of bus.startSchedules({ fireNow: true })) {
      log.warn(`scheduled rule ${rule.name} (${rule.scheduleExpression}) is not run locally: only rate(...) schedules are`);
    }

    let stopping: Promise<void> | undefined;
    return {
      url: `http://localhost:${port}`,
      port,
      phases,
      readyInMs: performance.now() - started,
      dynamodb: { endpoint: db.endpoint, tableName: names.tableName, dataDir: db.dataDir },
      sandboxes,
      bus,
      stateMachine,
      template,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (error) {
    // A JVM or sandbox process still starting must not outlive a failed start.
    await dynamoStart?.catch(() => undefined);
    await sandboxStart?.catch(() => undefined);
    await cleanup();
    throw error;
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Math.round(ms)}ms`;
}

/**
 * The template's Cognito user pools, each with a development issuer whose clients are the pool's
 * app clients (a client's id is its logical id here). The key pair is kept in the data folder.
 */
async function openUserPools(template: CloudFormationTemplate, dataDir: string | undefined): Promise<Map<string, LocalUserPool>> {
  const pools = new Map<string, LocalUserPool>();
  const ofPool = (type: string, poolId: string) =>
    resourcesOfType(template, type).filter((id) => JSON.stringify(template.Resources[id]?.Properties?.['UserPoolId']) === JSON.stringify({ Ref: poolId }));
  for (const poolId of resourcesOfType(template, 'AWS::Cognito::UserPool')) {
    const clientIds = ofPool('AWS::Cognito::UserPoolClient', poolId);
    if (clientIds.length === 0) continue;
    const properties = template.Resources[poolId]?.Properties ?? {};
    const policy = (properties['Policies'] as { PasswordPolicy?: PasswordPolicy } | undefined)?.PasswordPolicy;
    const usernameAttributes = properties['UsernameAttributes'] as string[] | undefined;
    const clientAuthFlows = Object.fromEntries(
      clientIds.map((id) => [id, (template.Resources[id]?.Properties?.['ExplicitAuthFlows'] as string[] | undefined) ?? []]),
    );
    const groups = ofPool('AWS::Cognito::UserPoolGroup', poolId).map((id) => String(template.Resources[id]?.Properties?.['GroupName'] ?? id));
    const userPoolId = `${LOCAL_REGION}_${poolId}`;
    pools.set(
      poolId,
      await LocalUserPool.open({
        region: LOCAL_REGION,
        userPoolId,
        clientIds,
        clientAuthFlows,
        groups,
        ...(usernameAttributes ? { usernameAttributes } : {}),
        ...(policy ? { passwordPolicy: policy } : {}),
        ...(dataDir ? { keyFile: join(dataDir, 'identity', `${poolId}.json`), usersFile: join(dataDir, 'identity', `${poolId}.users.json`) } : {}),
      }),
    );
  }
  return pools;
}

/** The alias API Gateway starts (the template's state machine alias), and what it resolves to here. */
function releaseOf(template: CloudFormationTemplate): ReleaseInfo {
  const [aliasId] = resourcesOfType(template, 'AWS::StepFunctions::StateMachineAlias');
  const alias = aliasId ? template.Resources[aliasId]?.Properties?.['Name'] : undefined;
  return { alias: typeof alias === 'string' ? alias : null, version: "the template's definition (locally the one version)" };
}

/** The template's type of a state machine (CloudFormation's default is STANDARD). */
function stateMachineTypeOf(template: CloudFormationTemplate, logicalId: string): 'STANDARD' | 'EXPRESS' {
  return template.Resources[logicalId]?.Properties?.['StateMachineType'] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
}

/** The TS twins of the VTL are used locally: they must be the templates the stack deployed. */
function checkCheckoutMapping(api: ApiFromTemplate, allowedOrigins: readonly string[]): void {
  for (const route of api.routes) {
    if (route.integration.kind !== 'start-sync-execution') continue;
    const requestTemplate = route.integration.requestTemplate.replace(/"stateMachineArn": "[^"]*"/, `"stateMachineArn": "${STATE_MACHINE_ARN_TOKEN}"`);
    const success = route.integration.responses.find((r) => r.selectionPattern === undefined);
    if (requestTemplate !== CHECKOUT_REQUEST_TEMPLATE || success?.template !== checkoutResponseTemplate(allowedOrigins)) {
      throw new StartupError(
        `${route.method} ${route.resourcePath}: the template's mapping templates are not @orderflow/order-workflow's CHECKOUT_REQUEST_TEMPLATE/CHECKOUT_RESPONSE_TEMPLATE, whose TypeScript twins the local gateway applies`,
      );
    }
  }
}

async function startSecrets(names: LocalResourceNames, sandboxes: PaymentSandboxesProcess): Promise<LocalSecretsManager> {
  // Every secret of the template holds the sandboxes' credentials (the payment secret is the only one).
  const value = JSON.stringify({
    STRIPE_SECRET_KEY: sandboxes.env.STRIPE_SECRET_KEY,
    PAYPAL_CLIENT_ID: sandboxes.env.PAYPAL_CLIENT_ID,
    PAYPAL_CLIENT_SECRET: sandboxes.env.PAYPAL_CLIENT_SECRET,
  });
  return startLocalSecretsManager(names.secrets.map((s) => ({ arn: s.arn, name: s.name, value })));
}

/** Applies the functions' environment to this process (one process runs every handler). */
function applyFunctionEnvironment(specs: FunctionEnvironmentSpecs, local: LocalEndpoints): void {
  for (const name of UNSET_IN_LAMBDA) delete process.env[name];
  Object.assign(process.env, functionEnvironment(specs, local));
}

/** Until every part is up, the port answers that the service is starting. */
const answerStarting: Parameters<typeof createServer>[1] = (_req, res) => {
  const body = JSON.stringify({ error: { code: 'INTERNAL', message: 'orderflow is starting; try again in a moment.' } });
  res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

/** API Gateway's limit on a request's headers (10 KB), which a bigger request hears as 431. */
export const MAX_HEADER_BYTES = 10 * 1024;

/**
 * A request the HTTP parser could not read (headers too large, a malformed line or header): a
 * catalogue body, as every other answer — never the runtime's own text.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const code = (error as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 'REQUEST_HEADERS_TOO_LARGE' : 'BAD_REQUEST';
  const body = JSON.stringify(errorBody(code));
  const status = ERROR_CATALOGUE[code].status;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function listen(listener: Parameters<typeof createServer>[1], port: number, host: string): Promise<Server> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, listener);
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(`port ${port} is in use: stop what uses it or start with PORT=<another port> (PORT=0 picks a free one)`)
          : error,
      );
    });
    server.listen(port, host, () => resolve(server));
  });
}

async function closeServer(server: Server, gateway: LocalRestApi | undefined, drainTimeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await gateway?.drain(drainTimeoutMs);
  server.closeAllConnections();
  await closed;
}

export type { LocalFunction };
