import { App, type AppProps, Stack } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { OrderflowStack } from './orderflow-stack';
import { checkAwsSolutions } from './security-checks';
import { readStackConfig } from './stack-config';

export const STACK_ID = 'Orderflow';

export interface OrderflowAppOptions {
  /** Bundle the handlers with esbuild (slow). Off for the local stack and for template tests. */
  bundle?: boolean;
  outdir?: string;
  /** Extra CDK context (e.g. `orderflow:stateMachineLogLevel`). */
  context?: Record<string, unknown>;
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
  const config = readStackConfig((key) => app.node.tryGetContext(key) as unknown);
  const stack = new OrderflowStack(app, STACK_ID, {
    config,
    description: 'orderflow: synchronous Express checkout behind API Gateway, DynamoDB, EventBridge',
    ...(process.env['CDK_DEFAULT_ACCOUNT']
      ? { env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] } }
      : {}),
  });
  return { app, stack };
}

export { Stack };
