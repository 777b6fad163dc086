import {
  BUSINESS_METRICS,
  CHECKOUTS_SET_ASIDE_METRIC,
  COMPENSATIONS_STILL_PENDING_METRIC,
  METRICS_NAMESPACE,
  OLDEST_EXPIRED_CHECKOUT_METRIC,
  OLDEST_PENDING_COMPENSATION_METRIC,
} from '@orderflow/contracts';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from './security-checks';

export interface MonitoringThresholds {
  /** POST /orders p95 latency SLO (ms). */
  checkoutLatencyP95Ms: number;
  /** 5xx share of all requests (%). */
  serverErrorRatePercent: number;
  /** How long (minutes) a compensation may stay pending: the recovery window. */
  compensationBacklogMinutes: number;
}

export interface ServiceMonitoringProps {
  api: apigateway.RestApi;
  /** The API's stage by name (a literal: the stage resource waits for the API's methods, one of which starts the alias these alarms guard). */
  apiStageName: string;
  stateMachine: sfn.StateMachine;
  functions: ReadonlyMap<string, lambda.IFunction>;
  table: dynamodb.Table;
  deadLetterQueues: readonly sqs.Queue[];
  thresholds: MonitoringThresholds;
  /** Subscribed to the alarm topic by e-mail when set. */
  alarmEmail?: string | undefined;
}

const MINUTE = Duration.minutes(1);
/** Alarm metric math takes at most 10 metrics: sums of more are made in groups. */
const MAX_METRICS_PER_EXPRESSION = 10;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A sum of metrics as one math expression (m0 + m1 + ...). */
function sumOf(metrics: cloudwatch.IMetric[], label: string): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`m${i}`, m]));
  return new cloudwatch.MathExpression({ expression: Object.keys(usingMetrics).join(' + '), usingMetrics, label, period: MINUTE });
}

/**
 * What an operator watches: one dashboard (checkouts by outcome, POST /orders latency, errors,
 * executions, declines, functions, DynamoDB, dead letters, compensations) and the alarms of the
 * service's promises on an SNS topic — the 5xx rate, the checkout latency SLO, failed or timed-out
 * executions, any dead letter, a compensation pending past the recovery window, throttling.
 * Business metrics are the service's own EMF metrics (`@orderflow/contracts` metrics).
 */
export class ServiceMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The alarms that stop a release and roll it back: 5xx rate, the latency SLO, failed executions. */
  readonly releaseAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { api, stateMachine, table, thresholds } = props;
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'orderflow alarms', enforceSSL: true });
    acknowledge(this.topic, {
      id: 'AwsSolutions-SNS2',
      reason: "Alarm notifications carry an alarm's name and state, no customer data; CloudWatch cannot publish to a topic under the AWS-managed SNS key",
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    new CfnOutput(Stack.of(this), 'AlarmTopicArn', { value: this.topic.topicArn });

    const functions = [...props.functions.entries()];
    const checkoutLatency = (statistic: string) =>
      api.metricLatency({ statistic, period: MINUTE, dimensionsMap: { ApiName: api.restApiName, Stage: props.apiStageName, Method: 'POST', Resource: '/orders' }, label: `POST /orders ${statistic}` });
    const requests = api.metricCount({ period: MINUTE, statistic: 'Sum', label: 'requests' });
    const serverErrors = api.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5xx' });
    const clientErrors = api.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4xx' });
    const business = (metricName: string, dimensionsMap: Record<string, string> = {}, label = metricName, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: METRICS_NAMESPACE, ...dimensionsMap }, statistic, period: MINUTE, label });
    // Every series of a metric, whatever its dimension's values.
    const searchOf = (metricName: string, dimension: string) => `SEARCH('{${METRICS_NAMESPACE},service,${dimension}} MetricName="${metricName}"', 'Sum', 60)`;
    const search = (metricName: string, dimension: string, label: string) =>
      new cloudwatch.MathExpression({ expression: searchOf(metricName, dimension), label, period: MINUTE });
    // ...summed into one (for rates).
    const total = (metricName: string, dimension: string, label: string) =>
      new cloudwatch.MathExpression({ expression: `SUM(${searchOf(metricName, dimension)})`, label, period: MINUTE });
    const pendingCompensations = business(COMPENSATIONS_STILL_PENDING_METRIC, {}, 'compensations still pending');
    const declined = business(BUSINESS_METRICS.ordersRejected, { reason: 'PAYMENT_DECLINED' }, 'declined');

    // --- Alarms -------------------------------------------------------------------------
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      created.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };
    const releaseAlarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => this.releaseAlarms.push(alarm(alarmId, alarmProps));
    releaseAlarm('ServerErrorRate', {
      alarmDescription: `More than ${thresholds.serverErrorRatePercent}% of the API's answers are 5xx (3 of 5 minutes)`,
      metric: new cloudwatch.MathExpression({ expression: 'IF(requests > 0, 100 * errors / requests, 0)', usingMetrics: { requests, errors: serverErrors }, label: '5xx %', period: MINUTE }),
      threshold: thresholds.serverErrorRatePercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    releaseAlarm('CheckoutLatencySlo', {
      alarmDescription: `POST /orders p95 above ${thresholds.checkoutLatencyP95Ms} ms (3 of 5 minutes): the checkout latency SLO`,
      metric: checkoutLatency('p95'),
      threshold: thresholds.checkoutLatencyP95Ms,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    releaseAlarm('ExecutionsFailedOrTimedOut', {
      alarmDescription: 'A checkout execution failed or timed out (a business rejection is a succeeded execution: this is not one)',
      metric: sumOf([stateMachine.metricFailed({ period: MINUTE }), stateMachine.metricTimedOut({ period: MINUTE })], 'failed + timed out'),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    props.deadLetterQueues.forEach((queue, i) =>
      alarm(`DeadLetters${i}`, {
        alarmDescription: `A message in a dead-letter queue (${queue.node.id}): an event a consumer or the bus gave up on`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum' }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );
    const oldestPendingCompensation = business(OLDEST_PENDING_COMPENSATION_METRIC, {}, 'oldest pending compensation (s)', 'Maximum');
    alarm('CompensationBacklog', {
      alarmDescription: `A compensation pending for more than ${thresholds.compensationBacklogMinutes} minutes: stock or money held past the recovery window`,
      metric: oldestPendingCompensation,
      threshold: thresholds.compensationBacklogMinutes * 60,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    const setAside = business(CHECKOUTS_SET_ASIDE_METRIC, {}, 'checkouts set aside');
    const oldestExpiredCheckout = business(OLDEST_EXPIRED_CHECKOUT_METRIC, {}, 'oldest dead checkout past its lock (s)', 'Maximum');
    alarm('CheckoutsSetAside', {
      alarmDescription: 'recover-checkouts set a checkout aside (taken over 5 times without an end): an operator must look at it',
      metric: setAside,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    chunks(functions, MAX_METRICS_PER_EXPRESSION).forEach((group, i) =>
      alarm(`FunctionThrottles${i}`, {
        alarmDescription: `Lambda throttled an invocation of ${group.map(([name]) => name).join(', ')}`,
        metric: sumOf(group.map(([, fn]) => fn.metricThrottles({ period: MINUTE })), 'throttles'),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );
    alarm('TableThrottles', {
      alarmDescription: 'DynamoDB throttled reads or writes of the table',
      metric: sumOf([table.metric('ReadThrottleEvents', { period: MINUTE, statistic: 'Sum' }), table.metric('WriteThrottleEvents', { period: MINUTE, statistic: 'Sum' })], 'throttle events'),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    // --- Dashboard ----------------------------------------------------------------------
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8, right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width, height: 6 });
    this.dashboard.addWidgets(
      graph('Checkouts per minute by outcome', [search(BUSINESS_METRICS.ordersPlaced, 'paymentMethod', 'placed'), search(BUSINESS_METRICS.ordersRejected, 'reason', 'rejected')]),
      graph('POST /orders latency (ms)', ['p50', 'p95', 'p99'].map(checkoutLatency), 8),
      graph('API answers: 4xx, 5xx; rejections by error code', [clientErrors, serverErrors, requests], 8, [search(BUSINESS_METRICS.ordersRejected, 'reason', 'by code')]),
    );
    this.dashboard.addWidgets(
      graph('Executions: failed, timed out', [stateMachine.metricFailed({ period: MINUTE }), stateMachine.metricTimedOut({ period: MINUTE }), stateMachine.metricSucceeded({ period: MINUTE })]),
      graph('Decline rate (%)', [
        new cloudwatch.MathExpression({
          expression: 'IF(placed + rejected > 0, 100 * declined / (placed + rejected), 0)',
          usingMetrics: { declined, placed: total(BUSINESS_METRICS.ordersPlaced, 'paymentMethod', 'placed'), rejected: total(BUSINESS_METRICS.ordersRejected, 'reason', 'rejected') },
          label: 'declined %',
          period: MINUTE,
        }),
      ]),
      graph('Compensations still pending (per sweep), and the age of the oldest', [pendingCompensations], 8, [oldestPendingCompensation]),
    );
    this.dashboard.addWidgets(
      graph('Recovery: dead checkouts set aside, and the oldest found past its lock', [setAside], 24, [oldestExpiredCheckout]),
    );
    this.dashboard.addWidgets(
      graph('Lambda errors', functions.map(([name, fn]) => fn.metricErrors({ period: MINUTE, label: name }))),
      graph('Lambda throttles', functions.map(([name, fn]) => fn.metricThrottles({ period: MINUTE, label: name }))),
      graph('Lambda duration p95 (ms)', functions.map(([name, fn]) => fn.metricDuration({ period: MINUTE, statistic: 'p95', label: name }))),
    );
    this.dashboard.addWidgets(
      graph('DynamoDB throttle events', [table.metric('ReadThrottleEvents', { period: MINUTE, statistic: 'Sum' }), table.metric('WriteThrottleEvents', { period: MINUTE, statistic: 'Sum' })], 12),
      graph('Dead-letter queue depths', props.deadLetterQueues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: q.node.id })), 12),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    new CfnOutput(Stack.of(this), 'DashboardName', { value: this.dashboard.dashboardName });
  }
}
