import { type App, type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag's AwsSolutions rule pack on the whole app, through CDK's policy validation: a synth
 * with an unacknowledged finding fails, and the report (`validation-report.json` in the cloud
 * assembly) names each. Every acknowledgment sits next to what it concerns, with its reason.
 */
export function checkAwsSolutions(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/**
 * One acknowledged rule and why. A rule with granular findings (IAM4, IAM5) is acknowledged
 * finding by finding, as the report names them: `AwsSolutions::AwsSolutions-IAM5[Resource::*]`.
 */
export interface AcknowledgedRule {
  id: `AwsSolutions-${string}` | `AwsSolutions::AwsSolutions-${string}`;
  reason: string;
}

/** A granular finding's id: `finding('IAM5', 'Action::s3:List*')`. */
export const finding = (rule: 'IAM4' | 'IAM5', what: string): AcknowledgedRule['id'] => `AwsSolutions::AwsSolutions-${rule}[${what}]`;

const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

export function acknowledge(scope: IConstruct, ...rules: AcknowledgedRule[]): void {
  Validations.of(scope).acknowledge(...rules);
}

/** What every function of the service is acknowledged for. */
export const FUNCTION_RULES: AcknowledgedRule[] = [
  {
    id: finding('IAM4', BASIC_EXECUTION_ROLE),
    reason: 'AWSLambdaBasicExecutionRole only lets the function write its logs (CreateLogGroup, CreateLogStream, PutLogEvents); its log group is its own, with retention',
  },
  {
    id: finding('IAM5', 'Resource::*'),
    reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) takes no resource but *; every other statement names its table, keys, bus, secret or machine',
  },
  {
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 is the runtime the bundles are built for (esbuild target node22) and tested against; the runtime moves with a deliberate change, not with each release',
  },
];

/**
 * CDK's own helpers in the stack (the storefront's BucketDeployment handler, a singleton at
 * the stack's root): their roles and runtimes are CDK's.
 */
export function acknowledgeCdkHelpers(stack: Stack, siteBucket: IConstruct): void {
  const siteBucketId = stack.getLogicalId(siteBucket.node.defaultChild as CfnElement);
  const copies =
    "CDK's BucketDeployment handler copies the built storefront from CDK's asset bucket into the site bucket under shop/: CDK grants it these on those two buckets only";
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    acknowledge(
      child,
      { id: finding('IAM4', BASIC_EXECUTION_ROLE), reason: "CDK's BucketDeployment handler: AWSLambdaBasicExecutionRole, its logs only" },
      ...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*'].map((what) => ({ id: finding('IAM5', what), reason: copies })),
      { id: finding('IAM5', `Resource::<${siteBucketId}.Arn>/*`), reason: copies },
      { id: finding('IAM5', 'Resource::*'), reason: "CDK's BucketDeployment handler invalidates /shop/* on the distribution (cloudfront:CreateInvalidation, GetInvalidation), which CDK grants on *" },
      { id: finding('IAM5', 'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'), reason: copies },
      { id: 'AwsSolutions-L1', reason: "CDK's BucketDeployment handler: its runtime is the one CDK ships it for" },
    );
  }
}
