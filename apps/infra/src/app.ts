import { App, type AppProps, Stack } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { OrderflowStack } from './orderflow-stack';
import { checkAwsSolutions } from './security-checks';
import { readStackConfig } from './stack-config';
import { stackIdFor, stageNamed } from './stages';

export const STACK_ID = stackIdFor(undefined);

/** The context key that names the stage (`-c orderflow:stage=prod`, as `npm run deploy -- --stage prod` passes it). */
export const STAGE_CONTEXT_KEY = 'orderflow:stage';

export interface OrderflowAppOptions {
  /** Bundle the handlers with esbuild (slow). Off for the local stack and for template tests. */
  bundle?: boolean;
  outdir?: string;
  /** Extra CDK context (e.g. `orderflow:stateMachineLogLevel`). */
  context?: Record<string, unknown>;
  /** A deployment stage of `stages.ts` (or context `orderflow:stage`): its settings and the stack `Orderflow-<stage>`. */
  stage?: string;
  /** cdk-nag's AwsSolutions pack (a finding fails the synth). On by default; template tests that synth many variants skip it. */
  securityChecks?: boolean;
}

/** The CDK app with the one stack of the service. */
export function createOrderflowApp(options: OrderflowAppOptions = {}): { app: App; stack: OrderflowStack } {
  const props: AppProps = {
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...options.context,
      // Skipping bundling leaves the asset pointing at the sources: fine for synth, not for deploy.
      ...(options.bundle === false ? { [BUNDLING_STACKS]: [] } : {}),
    },
  };
  const app = new App(props);
  if (options.securityChecks !== false) checkAwsSolutions(app);
  const stageName = options.stage ?? (app.node.tryGetContext(STAGE_CONTEXT_KEY) as string | undefined);
  const stage = stageName === undefined ? undefined : stageNamed(stageName);
  const config = readStackConfig((key) => app.node.tryGetContext(key) as unknown, stage?.settings);
  const stack = new OrderflowStack(app, stackIdFor(stageName), {
    config,
    description: 'orderflow: synchronous Express checkout behind API Gateway, DynamoDB, EventBridge',
    ...(process.env['CDK_DEFAULT_ACCOUNT']
      ? { env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] } }
      : {}),
  });
  return { app, stack };
}

export { Stack };
