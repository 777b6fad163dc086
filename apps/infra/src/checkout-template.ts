import { type CloudFormationTemplate, theResourceWithMetadata } from '@orderflow/local-aws';
import { CHECKOUT_WORKFLOW_ID, WORKFLOW_METADATA_KEY } from '@orderflow/order-workflow';

/** The checkout state machine of a synthesized template: the one the construct marked with its metadata. */
export function checkoutStateMachineId(template: CloudFormationTemplate): string {
  return theResourceWithMetadata(template, 'AWS::StepFunctions::StateMachine', WORKFLOW_METADATA_KEY, CHECKOUT_WORKFLOW_ID);
}
