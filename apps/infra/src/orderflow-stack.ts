import { join } from 'node:path';
import {
  allowedMethods,
  API_ROUTES,
  apiGatewayModelSchema,
  type ApiRouteSpec,
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  ERROR_CATALOGUE,
  errorBody,
  EVENT_SOURCE,
  GSI1,
  OPERATORS_GROUP,
  ORDER_TABLE,
} from '@orderflow/contracts';
import { EVENT_RULES, type EventConsumer, type EventPattern } from '@orderflow/events';
import {
  CHECKOUT_INTEGRATION_ERROR_TEMPLATE,
  CHECKOUT_REQUEST_TEMPLATE,
  CHECKOUT_RESPONSE_HEADERS,
  CHECKOUT_STATUS_CODES,
  checkoutCorsHeaders,
  checkoutResponseTemplate,
  type CheckoutTaskFunction,
  GATEWAY_RESPONSES,
  gatewayResponseStatus,
  gatewayResponseTemplate,
  HANDLER_METADATA_KEY,
  handlerSource,
  OrderWorkflow,
  STATE_MACHINE_ARN_TOKEN,
} from '@orderflow/order-workflow';
import { workspaceRoot } from '@orderflow/workspace';
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CONSUMER_HANDLERS, DEFAULT_FUNCTION_MEMORY_MB, type HandlerSpec, ROUTE_HANDLERS, SCHEDULED_HANDLERS, TASK_HANDLERS } from './handlers';
import type { StackConfig } from './stack-config';
import { ServiceMonitoring } from './monitoring';
import { Releases } from './releases';
import { acknowledge, acknowledgeCdkHelpers, finding, FUNCTION_RULES } from './security-checks';
import { API_STAGE_NAME, StorefrontHosting } from './storefront-hosting';

/** The API Gateway model id of a route's body: the route's operation, as a type name (CheckoutRequest for placeOrder). */
function modelIdOf(route: ApiRouteSpec): string {
  return route.path === '/orders' && route.method === 'POST' ? 'CheckoutRequest' : route.path === '/paypal/orders' ? 'CreatePaypalOrderRequest' : `${route.operationId}Request`;
}

/** The repository root: handler entries and the lock file are found from here. */
export const REPO_ROOT = workspaceRoot();

export interface OrderflowStackProps extends StackProps {
  config: StackConfig;
}

const RETENTION: Record<number, logs.RetentionDays> = Object.fromEntries(
  Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === 'number')
    .map((v) => [v, v]),
);

/** CDK's EventPattern uses camelCase for the envelope fields; the shared patterns use EventBridge's names. */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const { 'detail-type': detailType, source, detail, account, region, resources, id, time, version, ...rest } =
    pattern as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new Error(`unsupported top-level pattern fields: ${Object.keys(rest).join(', ')}`);
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as events.EventPattern;
  return defined({ detailType, source, detail, account, region, resources, id, time, version });
}

/**
 * The order service in AWS: one table, the checkout Express workflow behind API Gateway's
 * StartSyncExecution, Lambda proxy routes for reads, the `orderflow` bus with its
 * consumers. No resource has a hard-coded name.
 */
export class OrderflowStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly workflow: OrderWorkflow;
  readonly api: apigateway.RestApi;
  readonly customers: { pool: cognito.UserPool; client: cognito.UserPoolClient; domain: cognito.UserPoolDomain };
  readonly paymentSecrets: secretsmanager.Secret;
  readonly functions = new Map<string, nodejs.NodejsFunction>();
  /** Every dead-letter queue: a message in any is an alarm. */
  readonly deadLetterQueues: sqs.Queue[] = [];
  monitoring!: ServiceMonitoring;
  readonly releases: Releases;
  /** The storefront and the API on one CloudFront distribution (set last: functions and the pool read its URL lazily). */
  storefront!: StorefrontHosting;

  private readonly config: StackConfig;

  constructor(scope: Construct, id: string, props: OrderflowStackProps) {
    super(scope, id, props);
    this.config = props.config;

    this.table = this.createTable();
    this.bus = new events.EventBus(this, 'OrderflowBus', { description: 'orderflow order events' });
    this.bus.archive('OrderEventsArchive', {
      description: 'Every order event, for replay',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(30),
    });
    this.paymentSecrets = new secretsmanager.Secret(this, 'PaymentProviderSecrets', {
      description:
        'orderflow payment provider credentials: a JSON object with STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET (set after deploying)',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'UNUSED_PLACEHOLDER' },
    });
    new CfnOutput(this, 'PaymentSecretsArn', { value: this.paymentSecrets.secretArn, description: 'Put the Stripe and PayPal credentials here after the first deploy' });

    // The workflow invokes published versions (qualified ARNs): each workflow version pins the
    // function code it was released with, and the checkout alias's canary moves both together.
    const taskFunctions = Object.fromEntries(
      (Object.keys(TASK_HANDLERS) as CheckoutTaskFunction[]).map((name) => [name, this.handlerFunction(TASK_HANDLERS[name]).currentVersion]),
    ) as unknown as Record<CheckoutTaskFunction, lambda.IFunction>;

    this.workflow = new OrderWorkflow(this, 'Checkout', {
      table: this.table,
      eventBus: this.bus,
      functions: taskFunctions,
      logLevel: sfn.LogLevel[this.config.stateMachineLogLevel],
      includeExecutionData: this.config.includeExecutionData,
      logRetention: this.retention(),
      tracingEnabled: true,
      definition: {
        ...(this.config.checkoutTimeoutSeconds !== undefined ? { timeoutSeconds: this.config.checkoutTimeoutSeconds } : {}),
        ...(this.config.checkoutLockSeconds !== undefined ? { idempotencyLockSeconds: this.config.checkoutLockSeconds } : {}),
      },
    });

    this.releases = new Releases(this, 'Releases', { stateMachine: this.workflow.stateMachine, settings: this.config });

    this.createConsumers();
    this.createScheduledJobs();
    this.customers = this.createCustomers();
    this.api = this.createApi();
    this.storefront = new StorefrontHosting(this, 'Storefront', {
      api: this.api,
      distDir: join(REPO_ROOT, 'apps', 'storefront', 'dist'),
      settings: {
        hostedUiUrl: this.customers.domain.baseUrl(),
        clientId: this.customers.client.userPoolClientId,
        stripePublishableKey: this.config.stripePublishableKey,
      },
    });
    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      api: this.api,
      apiStageName: API_STAGE_NAME,
      stateMachine: this.workflow.stateMachine,
      functions: this.functions,
      table: this.table,
      deadLetterQueues: this.deadLetterQueues,
      thresholds: this.config,
      alarmEmail: this.config.alarmEmail,
    });
    this.releases.rollBackOn(this.monitoring.releaseAlarms);
    this.acknowledgeSecurityRules();
  }

  /** cdk-nag AwsSolutions findings the design answers otherwise, each with its reason (security-checks.ts). */
  private acknowledgeSecurityRules(): void {
    acknowledge(this.workflow.stateMachine, {
      id: 'AwsSolutions-SF1',
      reason:
        "The execution log level is the stage's (orderflow:stateMachineLogLevel, ERROR by default): ALL logs every state of every checkout, and logs are the largest part of an execution's cost; raise it per stage to debug",
    });
    // The state machine's role: X-Ray (its invoke grants name each task's published version).
    acknowledge(this.workflow.stateMachine.role, {
      id: finding('IAM5', 'Resource::*'),
      reason: 'X-Ray tracing of the executions (xray:PutTraceSegments and the sampling calls) takes no resource but *',
    });
    acknowledge(this.customers.pool, {
      id: 'AwsSolutions-COG1',
      reason: 'At least 12 characters with upper and lower case and digits; a symbol rule on top adds little (NIST SP 800-63B advises against composition rules)',
    });
    acknowledge(this.customers.pool, {
      id: 'AwsSolutions-COG2',
      reason: "Shoppers sign in through the hosted UI; requiring MFA of every customer is the shop's decision, not the service's",
    });
    acknowledge(this.customers.pool, {
      id: 'AwsSolutions-COG8',
      reason: "The Plus feature plan (threat protection) is priced per user: a stage's choice",
    });
    acknowledge(this.paymentSecrets, {
      id: 'AwsSolutions-SMG4',
      reason: "Stripe's and PayPal's API keys are rolled in the providers' dashboards and then written here: no rotation Lambda can make new ones",
    });
    acknowledge(this.api, {
      id: 'AwsSolutions-APIG2',
      reason: 'Validation is per method: every route with a body has the body validator and the model generated from zod; the others have no body',
    });
    acknowledge(this.api, {
      id: 'AwsSolutions-APIG3',
      reason: 'The stage is throttled per route (orderflow:throttle*); a WAF web ACL is an account-wide decision with its own cost, attached per stage when wanted',
    });
    acknowledge(this.api, {
      id: 'AwsSolutions-APIG6',
      reason: "Execution logging needs API Gateway's account-wide CloudWatch role, which one service's stack should not own (cloudWatchRole: false); every request is in the JSON access log",
    });
    acknowledgeCdkHelpers(this, this.storefront.bucket);
  }

  /** The storefront's URL, for what is made before the distribution (resolved at synth). */
  private storefrontUrl(path = ''): string {
    return Lazy.string({ produce: () => `${this.storefront.url}${path}` });
  }

  /** The table and the user pool: kept when the stack goes (production), or deleted with it (dev). */
  private dataRemoval(): RemovalPolicy {
    return this.config.dataRemoval === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  }

  private retention(): logs.RetentionDays {
    const retention = RETENTION[this.config.logRetentionDays];
    if (retention === undefined) {
      throw new Error(`orderflow:logRetentionDays ${this.config.logRetentionDays} is not a CloudWatch Logs retention`);
    }
    return retention;
  }

  private createTable(): dynamodb.Table {
    const attribute = (a: { name: string; type: 'S' | 'N' | 'B' }) => ({
      name: a.name,
      type: { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY }[a.type],
    });
    const table = new dynamodb.Table(this, 'OrderTable', {
      partitionKey: attribute(ORDER_TABLE.partitionKey),
      sortKey: attribute(ORDER_TABLE.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: ORDER_TABLE.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: this.dataRemoval(),
    });
    for (const gsi of ORDER_TABLE.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: attribute(gsi.partitionKey),
        sortKey: attribute(gsi.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  /** One NodejsFunction per handler file: esbuild bundle, Node 22, arm64, X-Ray, own log group. */
  private handlerFunction(spec: HandlerSpec, extra: Partial<nodejs.NodejsFunctionProps> = {}): nodejs.NodejsFunction {
    const id = spec.handler
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: this.retention(),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const environment: Record<string, string> = {
      TABLE_NAME: this.table.tableName,
      POWERTOOLS_SERVICE_NAME: 'orderflow',
      POWERTOOLS_METRICS_NAMESPACE: 'orderflow',
      // The same level as Lambda's filter (which Powertools obeys first, where it is set).
      POWERTOOLS_LOG_LEVEL: this.config.functionLogLevel,
      NODE_OPTIONS: '--enable-source-maps',
    };
    if (spec.payments) {
      environment['PAYMENT_SECRETS_ARN'] = this.paymentSecrets.secretArn;
      environment['PAYMENT_TIMEOUT_MS'] = String(this.config.paymentTimeoutMs);
      // One retry layer: the workflow's (visible in the execution history).
      environment['PAYMENT_MAX_RETRIES'] = '0';
      if (this.config.stripeApiBase) environment['STRIPE_API_BASE'] = this.config.stripeApiBase;
      if (this.config.paypalBaseUrl) environment['PAYPAL_BASE_URL'] = this.config.paypalBaseUrl;
      // Where PayPal sends the buyer after approving (or cancelling): the storefront's pages.
      if (spec.http) {
        environment['PAYPAL_RETURN_URL'] = this.storefrontUrl('paypal/return');
        environment['PAYPAL_CANCEL_URL'] = this.storefrontUrl('paypal/cancel');
      }
    }
    if (spec.publishesEvents) environment['EVENT_BUS_NAME'] = this.bus.eventBusName;
    // Recovery resumes a checkout on the live alias, as customers' checkouts run.
    if (spec.startsCheckouts) environment['STATE_MACHINE_ARN'] = this.releases.checkoutAliasArn;
    if (spec.http && this.config.allowedOrigins.length > 0) environment['ALLOWED_ORIGINS'] = this.config.allowedOrigins.join(',');
    Object.assign(environment, spec.environment);
    const fn = new nodejs.NodejsFunction(this, `${id}Function`, {
      entry: join(REPO_ROOT, 'apps', 'api', 'src', 'handlers', `${spec.handler}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      timeout: Duration.seconds(spec.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      // Lambda filters by level (JSON format): below functionLogLevel nothing of the function's, and
      // its own START/END/REPORT lines below lambdaSystemLogLevel, is ingested or billed. Not for a
      // function that publishes metrics (see HandlerSpec.emitsMetrics).
      ...(spec.emitsMetrics
        ? {}
        : {
            loggingFormat: lambda.LoggingFormat.JSON,
            applicationLogLevelV2: lambda.ApplicationLogLevel[this.config.functionLogLevel],
            systemLogLevelV2: lambda.SystemLogLevel[this.config.lambdaSystemLogLevel],
          }),
      environment,
      ...(this.config.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: this.config.reservedConcurrency }
        : {}),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // CommonJS dependencies (PayPal's SDK) call require(): give ESM bundles one.
        banner: "import { createRequire as __orderflowCreateRequire } from 'node:module'; const require = __orderflowCreateRequire(import.meta.url);",
        mainFields: ['module', 'main'],
        // The AWS SDK bundled too (the lock file's version): esbuild's one ESM file imports in
        // about half the time of the runtime's copy, hundreds of CommonJS files read from disk
        // at every cold start (docs/performance.md, bundle bench).
        externalModules: [],
        forceDockerBundling: false,
      },
      ...extra,
    });
    (fn.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, handlerSource(spec.handler));
    acknowledge(fn, ...FUNCTION_RULES);
    // Least privilege on the table: each action only on the key prefixes the handler touches.
    for (const grant of spec.table?.items ?? []) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...grant.actions],
          resources: [this.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } },
        }),
      );
    }
    if (spec.table?.indexPartitions) {
      // On an index, the key in the request is the index's partition key (GSI1PK).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${this.table.tableArn}/index/${GSI1.indexName}`],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...spec.table.indexPartitions] } },
        }),
      );
    }
    if (spec.payments) this.paymentSecrets.grantRead(fn);
    if (spec.publishesEvents) this.bus.grantPutEventsTo(fn);
    if (spec.startsCheckouts) this.releases.grantStartCheckout(fn.role as iam.IRole, 'states:StartExecution');
    this.functions.set(spec.handler, fn);
    return fn;
  }

  private createConsumers(): void {
    // Each consumer is released through its `live` alias, which its rules target.
    const consumers = new Map<EventConsumer, lambda.Alias>();
    for (const [name, spec] of Object.entries(CONSUMER_HANDLERS) as [EventConsumer, (typeof CONSUMER_HANDLERS)[EventConsumer]][]) {
      // Lambda retries a failed asynchronous invocation twice, then parks the event here.
      const failures = new sqs.Queue(this, `${spec.handler.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Failures`, {
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      this.deadLetterQueues.push(failures);
      consumers.set(name, this.releases.release(this.handlerFunction(spec, { deadLetterQueue: failures })));
    }
    for (const rule of EVENT_RULES) {
      const released = consumers.get(rule.consumer);
      if (!released) throw new Error(`no consumer function for ${rule.consumer}`);
      // Events EventBridge could not deliver after its retries.
      const undelivered = new sqs.Queue(this, `${rule.id}DeadLetters`, {
        retentionPeriod: Duration.days(14),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      this.deadLetterQueues.push(undelivered);
      acknowledge(undelivered, { id: 'AwsSolutions-SQS3', reason: "It is a dead-letter queue: the rule's target DLQ for events EventBridge could not deliver" });
      new events.Rule(this, rule.id, {
        eventBus: this.bus,
        description: rule.description,
        eventPattern: toCdkEventPattern(rule.eventPattern),
        targets: [
          new targets.LambdaFunction(released, {
            deadLetterQueue: undelivered,
            retryAttempts: 8,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
    }
  }

  /**
   * Jobs on an EventBridge schedule. The template's scheduled rules (ScheduleExpression,
   * no EventPattern) name their target function, whose `orderflow:handler` metadata the
   * local stack follows to run the same handler on a timer.
   */
  private createScheduledJobs(): void {
    for (const job of SCHEDULED_HANDLERS) {
      const fn = this.handlerFunction(job.spec);
      new events.Rule(this, job.id, {
        description: job.description,
        schedule: events.Schedule.rate(Duration.minutes(job.rateMinutes)),
        // A missed tick is made up by the next one: no retries piling up behind a slow run.
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 0, maxEventAge: Duration.minutes(job.rateMinutes) })],
      });
    }
  }

  /**
   * The customers: a Cognito user pool (no self sign-up unless the stage allows it), the
   * storefront's app client (authorization code with PKCE through the hosted UI), the group
   * `operators`. API Gateway's Cognito authorizer checks the ID tokens of this pool.
   */
  private createCustomers(): { pool: cognito.UserPool; client: cognito.UserPoolClient; domain: cognito.UserPoolDomain } {
    const pool = new cognito.UserPool(this, 'Customers', {
      selfSignUpEnabled: this.config.selfSignUp,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: this.dataRemoval(),
    });
    new cognito.CfnUserPoolGroup(this, 'OperatorsGroup', {
      userPoolId: pool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: 'May read any order and any customer\'s orders',
    });
    const client = pool.addClient('Storefront', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        // The deployed shop, and any other configured (a shop on a developer's machine).
        callbackUrls: [this.storefrontUrl(), ...this.config.storefrontCallbackUrls],
        logoutUrls: [this.storefrontUrl(), ...this.config.storefrontCallbackUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    const domain = pool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: this.config.cognitoDomainPrefix ?? `orderflow-${this.account}` },
    });
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'StorefrontClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', { value: domain.baseUrl() });
    if (this.config.loadTestClient) {
      const loadTest = pool.addClient('LoadTest', {
        generateSecret: false,
        authFlows: { adminUserPassword: true },
        disableOAuth: true,
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.hours(1),
      });
      new CfnOutput(this, 'LoadTestClientId', { value: loadTest.userPoolClientId });
    }
    return { pool, client, domain };
  }

  /**
   * The REST API, route by route from the route table of contracts (the OpenAPI document is
   * generated from the same table): POST /orders starts the checkout synchronously; the others
   * are Lambda proxies. Order routes need a Cognito ID token; products are public. Every other
   * method of a known path answers 405 with Allow (a MOCK `ANY`), every unknown path 404, and
   * every error of the gateway itself is a catalogue body.
   */
  private createApi(): apigateway.RestApi {
    const origins = this.config.allowedOrigins;
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: this.retention(), removalPolicy: RemovalPolicy.DESTROY });
    const api = new apigateway.RestApi(this, 'Api', {
      description: 'orderflow order service',
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: this.config.throttleRateLimit,
        throttlingBurstLimit: this.config.throttleBurstLimit,
        methodOptions: {
          '/orders/POST': { throttlingRateLimit: this.config.checkoutThrottleRateLimit, throttlingBurstLimit: this.config.checkoutThrottleBurstLimit },
        },
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      cloudWatchRole: false,
    });
    new CfnOutput(this, 'ApiUrl', { value: api.url });
    // The gateway's own errors, with CORS for the allowed storefront origins (one: that origin; several: the caller's, checked at preflight).
    const corsOnErrors =
      origins.length === 0 ? undefined : { 'Access-Control-Allow-Origin': origins.length === 1 ? `'${origins[0]}'` : 'method.request.header.Origin', Vary: "'Origin'" };
    for (const response of GATEWAY_RESPONSES) {
      api.addGatewayResponse(`${response.type}Response`, {
        type: apigateway.ResponseType.of(response.type),
        statusCode: String(gatewayResponseStatus(response.type)),
        templates: { 'application/json': gatewayResponseTemplate(response.type) },
        ...(corsOnErrors ? { responseHeaders: corsOnErrors } : {}),
      });
    }
    const bodyValidator = new apigateway.RequestValidator(this, 'BodyValidator', {
      restApi: api,
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const model = (id: string, schema: Record<string, unknown>) => {
      const { $schema: _dialect, title, ...rest } = schema;
      return api.addModel(id, {
        contentType: 'application/json',
        description: `${String(title)}: generated from the zod schema in @orderflow/contracts`,
        schema: { schema: apigateway.JsonSchemaVersion.DRAFT4, title: String(title), ...rest } as apigateway.JsonSchema,
      });
    };
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'CustomerAuthorizer', {
      cognitoUserPools: [this.customers.pool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });
    const resourceOf = (path: string) =>
      path
        .split('/')
        .filter(Boolean)
        .reduce<apigateway.IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), api.root);

    // POST /orders -> StartSyncExecution of the checkout workflow, no Lambda in between.
    const startRole = new iam.Role(this, 'CheckoutStartRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway starts synchronous checkout executions',
    });
    // The live alias, never the bare state machine: a release reaches customers as its canary says.
    this.releases.grantStartCheckout(startRole);
    const checkoutIntegration = new apigateway.AwsIntegration({
      service: 'states',
      action: 'StartSyncExecution',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: startRole,
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestTemplates: {
          'application/json': CHECKOUT_REQUEST_TEMPLATE.replace(STATE_MACHINE_ARN_TOKEN, this.releases.checkoutAliasArn),
        },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { 'application/json': checkoutResponseTemplate(origins) } },
          {
            statusCode: '500',
            selectionPattern: '[45]\\d{2}',
            responseTemplates: { 'application/json': CHECKOUT_INTEGRATION_ERROR_TEMPLATE },
          },
        ],
      },
    });

    const paths = new Set<string>();
    for (const route of API_ROUTES as readonly ApiRouteSpec[]) {
      paths.add(route.path);
      const resource = resourceOf(route.path);
      const access: Partial<apigateway.MethodOptions> =
        route.access === 'customer' ? { authorizer, authorizationType: apigateway.AuthorizationType.COGNITO } : {};
      const validation: Partial<apigateway.MethodOptions> = route.body
        ? { requestValidator: bodyValidator, requestModels: { 'application/json': model(modelIdOf(route), apiGatewayModelSchema(route.body, modelIdOf(route))) } }
        : {};
      if (route.method === 'POST' && route.path === '/orders') {
        resource.addMethod('POST', checkoutIntegration, {
          ...access,
          ...validation,
          requestParameters: { 'method.request.header.Idempotency-Key': false },
          methodResponses: [200, ...CHECKOUT_STATUS_CODES].map((status) => ({
            statusCode: String(status),
            responseParameters: Object.fromEntries(
              [...CHECKOUT_RESPONSE_HEADERS, ...checkoutCorsHeaders(origins)].map((name) => [`method.response.header.${name}`, false]),
            ),
          })),
        });
        continue;
      }
      const handler = ROUTE_HANDLERS.find((h) => h.method === route.method && h.path === route.path);
      if (!handler) throw new Error(`no handler for ${route.method} ${route.path}`);
      const fn = this.handlerFunction({ ...handler.spec, http: true });
      const method = resource.addMethod(route.method, new apigateway.LambdaIntegration(this.releases.release(fn), { proxy: true }), { ...access, ...validation });
      if (route.access !== 'customer') {
        const open = 'The catalogue is public by design (DESIGN.md: GET /products* needs no token); it reads products only';
        acknowledge(method, { id: 'AwsSolutions-APIG4', reason: open }, { id: 'AwsSolutions-COG4', reason: open });
      }
    }
    for (const path of paths) this.refuseOtherMethods(resourceOf(path), allowedMethods(path));
    return api;
  }

  /**
   * A known path asked with a method it does not answer: 405 METHOD_NOT_ALLOWED with `Allow`,
   * from a MOCK `ANY` (API Gateway prefers a resource's explicit methods, and OPTIONS for CORS).
   */
  private refuseOtherMethods(resource: apigateway.IResource, allow: string[]): void {
    const status = String(ERROR_CATALOGUE.METHOD_NOT_ALLOWED.status);
    const refusal = resource.addMethod(
      'ANY',
      new apigateway.MockIntegration({
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
        integrationResponses: [
          {
            statusCode: status,
            responseParameters: { 'method.response.header.Allow': `'${allow.join(', ')}'` },
            responseTemplates: { 'application/json': JSON.stringify(errorBody('METHOD_NOT_ALLOWED')) },
          },
        ],
      }),
      { methodResponses: [{ statusCode: status, responseParameters: { 'method.response.header.Allow': true } }] },
    );
    const noBackend = 'A MOCK that answers 405 METHOD_NOT_ALLOWED with Allow, reaching nothing: there is nothing to authorize';
    acknowledge(refusal, { id: 'AwsSolutions-APIG4', reason: noBackend }, { id: 'AwsSolutions-COG4', reason: noBackend });
    if (this.config.allowedOrigins.length > 0) {
      resource.addCorsPreflight({
        allowOrigins: this.config.allowedOrigins,
        allowMethods: allow,
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        exposeHeaders: [...CORS_EXPOSED_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      });
    }
  }
}
