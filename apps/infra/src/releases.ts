import { CfnDeletionPolicy, Duration, Lazy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge, finding } from './security-checks';

/** How a new version reaches customers: a share for an interval then all (CANARY), in steps (LINEAR), or at once. */
export interface ReleaseSettings {
  releaseType: 'CANARY' | 'LINEAR' | 'ALL_AT_ONCE';
  /** CANARY: the share of the first interval; LINEAR: the share added each interval (%). */
  releasePercent: number;
  releaseIntervalMinutes: number;
}

/** The alias customers reach: the workflow's and every released function's. */
export const LIVE_ALIAS = 'live';

/**
 * Canary releases with automatic rollback. Each deploy publishes a version of the checkout
 * state machine (whose Lambda tasks name published function versions, so a workflow version
 * pins the code it was tested with) and the `live` alias moves to it as the stage's release
 * settings say, rolling back by itself when an alarm fires. The API's proxy functions and the
 * event consumers are released the same way through Lambda aliases and CodeDeploy.
 */
export class Releases extends Construct {
  readonly checkoutAlias: sfn.CfnStateMachineAlias;
  readonly checkoutVersion: sfn.CfnStateMachineVersion;
  private readonly application: codedeploy.LambdaApplication;
  private readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  private readonly groups: codedeploy.LambdaDeploymentGroup[] = [];
  private rollbackAlarms: cloudwatch.IAlarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { stateMachine: sfn.StateMachine; settings: ReleaseSettings },
  ) {
    super(scope, id);
    const { stateMachine, settings } = props;
    this.checkoutVersion = new sfn.CfnStateMachineVersion(this, 'CheckoutVersion', {
      stateMachineArn: stateMachine.stateMachineArn,
      // A new revision (a changed definition: new function versions, new states) makes a new version.
      stateMachineRevisionId: stateMachine.stateMachineRevisionId,
      description: 'The checkout as this deploy published it',
    });
    // Old versions stay: the alias still routes to the previous one during a canary, and a
    // rollback by hand points the alias back at one.
    // (Deleting the stack deletes the state machine, and its versions with it.)
    this.checkoutVersion.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    this.checkoutVersion.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    this.checkoutAlias = new sfn.CfnStateMachineAlias(this, 'CheckoutLive', {
      name: LIVE_ALIAS,
      description: 'What POST /orders starts: the released checkout version',
      deploymentPreference: {
        stateMachineVersionArn: this.checkoutVersion.attrArn,
        type: settings.releaseType,
        ...(settings.releaseType === 'ALL_AT_ONCE' ? {} : { percentage: settings.releasePercent, interval: settings.releaseIntervalMinutes }),
        alarms: Lazy.list({ produce: () => this.rollbackAlarms.map((a) => a.alarmName) }, { omitEmpty: true }),
      },
    });

    this.application = new codedeploy.LambdaApplication(this, 'Functions');
    this.deploymentConfig =
      settings.releaseType === 'ALL_AT_ONCE'
        ? codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE
        : new codedeploy.LambdaDeploymentConfig(this, 'FunctionRelease', {
            trafficRouting:
              settings.releaseType === 'CANARY'
                ? codedeploy.TrafficRouting.timeBasedCanary({ interval: Duration.minutes(settings.releaseIntervalMinutes), percentage: settings.releasePercent })
                : codedeploy.TrafficRouting.timeBasedLinear({ interval: Duration.minutes(settings.releaseIntervalMinutes), percentage: settings.releasePercent }),
          });
  }

  /** The alias ARN API Gateway starts (never the bare state machine). */
  get checkoutAliasArn(): string {
    return this.checkoutAlias.ref;
  }

  /** Lets `role` start the live checkout (synchronously: API Gateway; or not: recovery), and nothing else. */
  grantStartCheckout(role: iam.IRole, action: 'states:StartSyncExecution' | 'states:StartExecution' = 'states:StartSyncExecution'): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: [this.checkoutAliasArn] }));
  }

  /** A function released through its `live` alias by CodeDeploy: what API Gateway or EventBridge should call. */
  release(fn: lambda.Function): lambda.Alias {
    const alias = new lambda.Alias(fn, 'Live', { aliasName: LIVE_ALIAS, version: fn.currentVersion });
    const group = new codedeploy.LambdaDeploymentGroup(fn, 'Release', {
      application: this.application,
      alias,
      deploymentConfig: this.deploymentConfig,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    acknowledge(group, {
      id: finding('IAM4', 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited'),
      reason: "CodeDeploy's own role for Lambda releases: it moves the alias's traffic and reads the release's alarms, nothing else",
    });
    this.groups.push(group);
    return alias;
  }

  /** The alarms that stop a release and roll it back (the workflow's alias and every function's release). */
  rollBackOn(alarms: cloudwatch.IAlarm[]): void {
    this.rollbackAlarms = alarms;
    for (const group of this.groups) for (const alarm of alarms) group.addAlarm(alarm);
  }
}
