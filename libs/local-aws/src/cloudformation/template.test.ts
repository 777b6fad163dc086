import { describe, expect, it } from 'vitest';
import { type CloudFormationTemplate, eventRulesFromTemplate, functionsFromTemplate, localFunctionArn, resolveIntrinsics, scheduledRulesFromTemplate, TemplateResolutionError } from './template';

/** A template shaped like the stack's: a bus, a consumer rule, a scheduled rule, their functions. */
const template: CloudFormationTemplate = {
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'x' } },
    ConsumerFn: {
      Type: 'AWS::Lambda::Function',
      Properties: { Timeout: 10, Environment: { Variables: { EVENT_BUS_NAME: { Ref: 'Bus' } } } },
      Metadata: { 'orderflow:handler': 'apps/api/src/handlers/send-confirmation.ts#handler' },
    },
    JobFn: {
      Type: 'AWS::Lambda::Function',
      Properties: { Timeout: 60 },
      Metadata: { 'orderflow:handler': 'apps/api/src/handlers/redrive-outbox.ts#handler' },
    },
    ConsumerRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['orderflow.orders'] },
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['ConsumerFn', 'Arn'] }, Id: 'Target0' }],
      },
    },
    JobSchedule: {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['JobFn', 'Arn'] }, Id: 'Target0' }] },
    },
    NightlySchedule: {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'cron(0 3 * * ? *)', State: 'DISABLED', Targets: [] },
    },
  },
};
const names = { refs: { Bus: 'orderflow-local' } };

describe('reading rules from a template', () => {
  it('gives the local bus only the rules that match events', () => {
    const rules = eventRulesFromTemplate(template, names);
    expect(rules).toEqual([
      {
        logicalId: 'ConsumerRule',
        eventBusName: 'orderflow-local',
        eventPattern: { source: ['orderflow.orders'] },
        targetArns: [localFunctionArn('ConsumerFn', names)],
      },
    ]);
  });

  it('lists the scheduled rules with their rate and resolved targets', () => {
    expect(scheduledRulesFromTemplate(template, names)).toEqual([
      {
        logicalId: 'JobSchedule',
        scheduleExpression: 'rate(1 minute)',
        rateMs: 60_000,
        enabled: true,
        targetArns: [localFunctionArn('JobFn', names)],
      },
      { logicalId: 'NightlySchedule', scheduleExpression: 'cron(0 3 * * ? *)', rateMs: undefined, enabled: false, targetArns: [] },
    ]);
  });

  it('maps each scheduled target to its handler source', () => {
    const [schedule] = scheduledRulesFromTemplate(template, names);
    const job = functionsFromTemplate(template, names, 'orderflow:handler').find((fn) => fn.arn === schedule?.targetArns[0]);
    expect(job?.handlerFile).toBe('apps/api/src/handlers/redrive-outbox.ts');
    expect(job?.timeoutSeconds).toBe(60);
  });
});

describe('Fn::GetAtt', () => {
  const site: CloudFormationTemplate = {
    Resources: {
      Cdn: { Type: 'AWS::CloudFront::Distribution', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
  };
  const url = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['Cdn', 'DomainName'] }, '/app/']] };

  it("takes the host's value for an attribute, and a distribution's domain is this host otherwise", () => {
    expect(resolveIntrinsics(url, site, { attributes: { 'Cdn.DomainName': 'localhost:3000' } })).toBe('https://localhost:3000/app/');
    expect(resolveIntrinsics(url, site)).toBe('https://localhost/app/');
  });

  it('refuses an attribute it cannot know', () => {
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Queue', 'QueueUrl'] }, site)).toThrow(TemplateResolutionError);
  });
});

describe('published versions and aliases', () => {
  const versioned: CloudFormationTemplate = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      FnVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      FnLive: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['FnVersion', 'Version'] }, Name: 'live' } },
      Broken: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: 'somewhere-else' } },
    },
  };

  it('are the function itself on one machine: their Ref is its ARN', () => {
    expect(resolveIntrinsics({ Ref: 'FnVersion' }, versioned)).toBe(localFunctionArn('Fn'));
    expect(resolveIntrinsics({ Ref: 'FnLive' }, versioned)).toBe(localFunctionArn('Fn'));
    expect(() => resolveIntrinsics({ Ref: 'Broken' }, versioned)).toThrow(TemplateResolutionError);
  });
});

describe('state machine versions and aliases', () => {
  const released: CloudFormationTemplate = {
    Resources: {
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      MachineVersion: { Type: 'AWS::StepFunctions::StateMachineVersion', Properties: { StateMachineArn: { Ref: 'Machine' } } },
      Live: {
        Type: 'AWS::StepFunctions::StateMachineAlias',
        Properties: { Name: 'live', DeploymentPreference: { StateMachineVersionArn: { 'Fn::GetAtt': ['MachineVersion', 'Arn'] }, Type: 'CANARY' } },
      },
      Nowhere: { Type: 'AWS::StepFunctions::StateMachineAlias', Properties: { Name: 'x' } },
    },
  };
  const names = { refs: { Machine: 'arn:aws:states:us-east-1:000000000000:stateMachine:Machine' } };

  it('are the state machine on one machine: one definition, the template\'s', () => {
    expect(resolveIntrinsics({ Ref: 'Live' }, released, names)).toBe(names.refs.Machine);
    expect(resolveIntrinsics({ Ref: 'MachineVersion' }, released, names)).toBe(names.refs.Machine);
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['MachineVersion', 'Arn'] }, released, names)).toBe(names.refs.Machine);
    expect(() => resolveIntrinsics({ Ref: 'Nowhere' }, released, names)).toThrow(/names no version/);
  });
});
