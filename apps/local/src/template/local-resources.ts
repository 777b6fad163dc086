import { EVENT_BUS_NAME } from '@orderflow/contracts';
import { assertValidEventPattern, type CloudFormationTemplate, eventRulesFromTemplate, functionsFromTemplate, type LocalNames, resolveIntrinsics, resourcesOfType, scheduledRulesFromTemplate, type TemplateFunction } from '@orderflow/local-aws';
import { HANDLER_METADATA_KEY } from '@orderflow/order-workflow';
import type { BusRule, BusTarget, ScheduledBusRule } from '@orderflow/local-aws';

/**
 * The names the template's references resolve to on this machine: the table, the bus and
 * the payment secret get local physical names; everything else keeps its logical id.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_TABLE_NAME = 'orderflow';

export interface LocalResourceNames extends LocalNames {
  tableLogicalId: string;
  tableName: string;
  busLogicalId: string | undefined;
  busName: string;
  secrets: { logicalId: string; arn: string; name: string }[];
}

export function localResourceNames(template: CloudFormationTemplate): LocalResourceNames {
  const [tableLogicalId] = resourcesOfType(template, 'AWS::DynamoDB::Table');
  if (!tableLogicalId) throw new Error('the template has no AWS::DynamoDB::Table');
  const [busLogicalId] = resourcesOfType(template, 'AWS::Events::EventBus');
  const secrets = resourcesOfType(template, 'AWS::SecretsManager::Secret').map((logicalId) => {
    const name = `orderflow/local/${logicalId}`;
    return { logicalId, name, arn: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:${name}-local` };
  });
  const refs: Record<string, string> = { [tableLogicalId]: LOCAL_TABLE_NAME };
  if (busLogicalId) refs[busLogicalId] = EVENT_BUS_NAME;
  // Ref of a secret is its ARN.
  for (const secret of secrets) refs[secret.logicalId] = secret.arn;
  // Ref of a state machine is its ARN: the one the local Step Functions hosts it under.
  for (const logicalId of resourcesOfType(template, 'AWS::StepFunctions::StateMachine')) {
    refs[logicalId] = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${logicalId}`;
  }
  return {
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    partition: 'aws',
    stackName: 'Orderflow',
    refs,
    tableLogicalId,
    tableName: LOCAL_TABLE_NAME,
    busLogicalId,
    busName: EVENT_BUS_NAME,
    secrets,
  };
}

export interface FunctionSpec extends TemplateFunction {
  memorySizeMB: number;
  deadLetterArn: string | undefined;
  /** Lambda's retries of failed asynchronous invocations (AWS::Lambda::EventInvokeConfig, default 2). */
  asyncMaximumRetryAttempts: number;
}

/** The template's functions with their handler sources, environment and async settings. */
export function functionSpecsFromTemplate(template: CloudFormationTemplate, names: LocalNames): FunctionSpec[] {
  const invokeConfigs = new Map<string, number>();
  for (const id of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const props = template.Resources[id]?.Properties ?? {};
    const fn = props['FunctionName'] as { Ref?: string } | undefined;
    if (fn?.Ref && props['MaximumRetryAttempts'] !== undefined) invokeConfigs.set(fn.Ref, Number(props['MaximumRetryAttempts']));
  }
  return functionsFromTemplate(template, names, HANDLER_METADATA_KEY).map((fn) => {
    const props = template.Resources[fn.logicalId]?.Properties ?? {};
    const dlq = (props['DeadLetterConfig'] as { TargetArn?: unknown } | undefined)?.TargetArn;
    return {
      ...fn,
      memorySizeMB: Number(props['MemorySize'] ?? 128),
      deadLetterArn: dlq === undefined ? undefined : String(resolveIntrinsics(dlq, template, names)),
      asyncMaximumRetryAttempts: invokeConfigs.get(fn.logicalId) ?? 2,
    };
  });
}

interface TargetProperties {
  Id?: string;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: unknown };
}

/** A rule's targets with their retry policy (EventBridge's defaults otherwise) and dead-letter queue. */
function busTargets(template: CloudFormationTemplate, names: LocalNames, logicalId: string, arns: string[]): BusTarget[] {
  const targets = (template.Resources[logicalId]?.Properties?.['Targets'] ?? []) as TargetProperties[];
  return arns.map((arn, i) => {
    const target = targets[i] ?? {};
    return {
      id: target.Id ?? `Target${i}`,
      arn,
      // EventBridge's defaults: 185 attempts within 24 hours.
      retryPolicy: {
        maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
        maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400,
      },
      deadLetterArn: target.DeadLetterConfig?.Arn === undefined ? undefined : String(resolveIntrinsics(target.DeadLetterConfig.Arn, template, names)),
    };
  });
}

/** The template's rules as the local bus applies them (patterns checked, targets with retry and DLQ). */
export function busRulesFromTemplate(template: CloudFormationTemplate, names: LocalNames): BusRule[] {
  return eventRulesFromTemplate(template, names).map((rule) => {
    assertValidEventPattern(rule.eventPattern, rule.logicalId);
    return {
      name: rule.logicalId,
      eventBusName: rule.eventBusName ?? 'default',
      eventPattern: rule.eventPattern,
      enabled: (template.Resources[rule.logicalId]?.Properties?.['State'] ?? 'ENABLED') === 'ENABLED',
      targets: busTargets(template, names, rule.logicalId, rule.targetArns),
    };
  });
}

/** The template's scheduled rules (`ScheduleExpression`), run by the local bus on timers. */
export function scheduledRulesForBus(template: CloudFormationTemplate, names: LocalNames): ScheduledBusRule[] {
  return scheduledRulesFromTemplate(template, names).map((rule) => ({
    name: rule.logicalId,
    scheduleExpression: rule.scheduleExpression,
    rateMs: rule.rateMs,
    enabled: rule.enabled,
    targets: busTargets(template, names, rule.logicalId, rule.targetArns),
  }));
}
