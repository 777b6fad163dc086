import { z } from 'zod';

/**
 * Settings of the stack, read from CDK context (`cdk synth -c orderflow:logLevel=ALL`, or
 * `cdk.json`). Defaults suit production; nothing here is a resource name.
 */
export const StackConfigSchema = z.object({
  /** Reserved concurrency of every function (unset: the account's unreserved pool). */
  reservedConcurrency: z.coerce.number().int().min(0).max(10_000).optional(),
  /** Retention of every log group, in days. */
  logRetentionDays: z.coerce.number().int().min(1).default(30),
  /** Step Functions execution log level (Express histories live only in these logs). */
  stateMachineLogLevel: z.enum(['ALL', 'ERROR', 'FATAL', 'OFF']).default('ERROR'),
  /**
   * The functions' log level (Powertools' POWERTOOLS_LOG_LEVEL): WARN in production, where the
   * consumers' INFO line per event was most of what the handlers logged per checkout; a stage
   * that debugs sets INFO or DEBUG. Metrics (EMF) are written whatever the level.
   */
  functionLogLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
  /**
   * Lambda's own lines (START, END, REPORT) of the functions that publish no metrics: WARN drops
   * them (duration and errors stay in Lambda's metrics), INFO keeps them. With it Lambda filters
   * those functions' lines by functionLogLevel too (JSON log format).
   */
  lambdaSystemLogLevel: z.enum(['DEBUG', 'INFO', 'WARN']).default('WARN'),
  /** Log execution inputs and outputs (customer data): off by default. */
  includeExecutionData: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false),
  /** Stripe's API base (scheme://host:port); the Stripe SDK's own when unset. */
  stripeApiBase: z.url().optional(),
  /** PayPal's REST base; the payments library's default (PayPal sandbox) when unset. */
  paypalBaseUrl: z.url().optional(),
  /** Timeout of one payment provider call (ms): the workflow's retries come on top. */
  paymentTimeoutMs: z.coerce.number().int().min(100).max(10_000).default(3_000),
  /** The checkout execution's timeout (s); unset: the workflow's default. */
  checkoutTimeoutSeconds: z.coerce.number().int().min(1).max(300).optional(),
  /** How long a claim outlives its execution's start before recovery may take it over (s); unset: the default. */
  checkoutLockSeconds: z.coerce.number().int().min(2).max(3_600).optional(),
  /** Storefront origins whose pages may call the API (CORS), comma-separated; none by default. */
  allowedOrigins: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((o) => o.trim()).filter((o) => o !== ''))
    .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an origin: https://host[:port]'))),
  /** Where Cognito's hosted UI sends a signed-in storefront user back (PKCE), comma-separated. */
  storefrontCallbackUrls: z
    .string()
    .default('http://localhost:3000/shop/')
    .transform((text) => text.split(',').map((u) => u.trim()).filter((u) => u !== ''))
    .pipe(z.array(z.url()).min(1)),
  /** A Stripe publishable key (pk_...) for the storefront's card form (Stripe Elements); none: no card form in AWS. */
  stripePublishableKey: z.string().regex(/^pk_(test|live)_[A-Za-z0-9]+$/).optional(),
  /** The hosted UI's domain prefix (<prefix>.auth.<region>.amazoncognito.com); default orderflow-<account>. */
  cognitoDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/).optional(),
  /** Whether anyone may sign up (off: users are invited, as operators and load-test users are). */
  selfSignUp: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
  /**
   * An app client for load-test users (`npm run load-users`): only the admin password flow, which
   * takes IAM credentials allowed cognito-idp:AdminInitiateAuth, so no one signs in through it
   * from outside. Off where no load test is run.
   */
  loadTestClient: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** Stage throttling of every route: steady requests per second and burst. */
  throttleRateLimit: z.coerce.number().min(1).default(200),
  throttleBurstLimit: z.coerce.number().int().min(1).default(400),
  /** POST /orders' own throttling (each request is a checkout with payment calls). */
  checkoutThrottleRateLimit: z.coerce.number().min(1).default(100),
  checkoutThrottleBurstLimit: z.coerce.number().int().min(1).default(200),
  /** What happens to the table and the user pool when the stack goes: kept (production) or deleted with it. */
  dataRemoval: z.enum(['retain', 'destroy']).default('retain'),
  /** Who hears of an alarm (an SNS e-mail subscription, confirmed by the recipient); none: the topic only. */
  alarmEmail: z.email().optional(),
  /** The latency SLO of POST /orders: its p95 above this (ms), 3 of 5 minutes, alarms. */
  checkoutLatencyP95Ms: z.coerce.number().int().min(100).default(3_000),
  /** 5xx answers above this share of requests (%), 3 of 5 minutes, alarm. */
  serverErrorRatePercent: z.coerce.number().min(0.01).max(100).default(1),
  /** How a release reaches customers (the checkout alias and every released function): CANARY, LINEAR or ALL_AT_ONCE. */
  releaseType: z.enum(['CANARY', 'LINEAR', 'ALL_AT_ONCE']).default('CANARY'),
  /** CANARY: the share for the first interval; LINEAR: the share added each interval (%). */
  releasePercent: z.coerce.number().int().min(1).max(99).default(10),
  /** Minutes of each step of a release; the alarms are watched meanwhile. */
  releaseIntervalMinutes: z.coerce.number().int().min(1).max(60).default(5),
  /** A compensation pending longer than this (minutes) alarms: the recovery window. */
  compensationBacklogMinutes: z.coerce.number().int().min(1).max(60).default(5),
});
export type StackConfig = z.infer<typeof StackConfigSchema>;

export const CONTEXT_PREFIX = 'orderflow:';

export type StackSettings = { [K in keyof z.input<typeof StackConfigSchema>]?: z.input<typeof StackConfigSchema>[K] };

/** Reads `orderflow:<setting>` context values, over a stage's settings when one is named. */
export function readStackConfig(tryGetContext: (key: string) => unknown, stageSettings: StackSettings = {}): StackConfig {
  const raw: Record<string, unknown> = { ...stageSettings };
  for (const key of Object.keys(StackConfigSchema.shape)) {
    const value = tryGetContext(`${CONTEXT_PREFIX}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${CONTEXT_PREFIX}${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  return parsed.data;
}
