import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CheckoutWorkflowInput } from '@orderflow/contracts';
import type { CheckoutStarter } from '../use-cases/recover-checkouts';

/** Starts the checkout state machine (asynchronously: an Express StartExecution) with an input shaped like the API's. */
export class StepFunctionsCheckoutStarter implements CheckoutStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: CheckoutWorkflowInput, name: string): Promise<{ executionArn: string }> {
    const started = await this.client.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { executionArn: started.executionArn ?? name };
  }
}
