import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type AslDefinition, buildCheckoutDefinition, type CheckoutDefinitionOptions } from './checkout-definition';
import {
  CHECKOUT_TASK_FUNCTION_NAMES,
  CHECKOUT_TASK_FUNCTIONS,
  CHECKOUT_WORKFLOW_ID,
  type CheckoutTaskFunction,
  EVENT_BUS_NAME_PLACEHOLDER,
  TABLE_NAME_PLACEHOLDER,
  WORKFLOW_METADATA_KEY,
} from './checkout-functions';

/** Key prefixes the workflow writes directly (idempotency records, the event outbox, unfinished compensations). */
export const WORKFLOW_LEADING_KEYS = ['IDEMPOTENCY#*', 'OUTBOX#*', 'COMPENSATION#*'] as const;

export interface OrderWorkflowProps {
  table: dynamodb.ITable;
  eventBus: events.IEventBus;
  /** The task functions (see CHECKOUT_TASK_FUNCTIONS). */
  functions: Record<CheckoutTaskFunction, lambda.IFunction>;
  /** Execution log level (Express workflows keep their history only in these logs). Default ERROR. */
  logLevel?: sfn.LogLevel;
  /** Log inputs and outputs (they hold customer data). Default false. */
  includeExecutionData?: boolean;
  logRetention?: logs.RetentionDays;
  /** X-Ray tracing. Default true. */
  tracingEnabled?: boolean;
  definition?: CheckoutDefinitionOptions;
}

/**
 * The checkout of DESIGN.md as an Express state machine (QueryLanguage JSONata),
 * synchronous behind API Gateway's StartSyncExecution. The definition is plain ASL with
 * `${...}` placeholders filled through DefinitionSubstitutions, so the template carries
 * the exact definition and the local stack resolves it the same way.
 */
export class OrderWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly definition: AslDefinition;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);
    this.definition = buildCheckoutDefinition(props.definition);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    const substitutions: Record<string, string> = {
      [TABLE_NAME_PLACEHOLDER]: props.table.tableName,
      [EVENT_BUS_NAME_PLACEHOLDER]: props.eventBus.eventBusName,
    };
    for (const name of CHECKOUT_TASK_FUNCTION_NAMES) {
      substitutions[CHECKOUT_TASK_FUNCTIONS[name].placeholder] = props.functions[name].functionArn;
    }

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(this.definition)),
      definitionSubstitutions: substitutions,
      tracingEnabled: props.tracingEnabled ?? true,
      logs: {
        destination: this.logGroup,
        level: props.logLevel ?? sfn.LogLevel.ERROR,
        includeExecutionData: props.includeExecutionData ?? false,
      },
    });
    (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).addMetadata(WORKFLOW_METADATA_KEY, CHECKOUT_WORKFLOW_ID);

    // Least privilege: invoke exactly the task functions...
    for (const name of CHECKOUT_TASK_FUNCTION_NAMES) props.functions[name].grantInvoke(this.stateMachine);
    // ...read and write only idempotency, outbox and compensation items of the table...
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...WORKFLOW_LEADING_KEYS] } },
      }),
    );
    // ...and put events on the one bus.
    props.eventBus.grantPutEventsTo(this.stateMachine);
  }
}
