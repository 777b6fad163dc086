/**
 * The Lambda functions the checkout workflow calls. One entry per task: the handler file
 * in apps/api (`src/handlers/<handler>.ts`, exporting `handler`), the placeholder the ASL
 * uses for the function's ARN (a `DefinitionSubstitutions` key) and the function timeout.
 * The CDK stack creates one function per entry; the local stack maps them back to the
 * same handlers through the template's `orderflow:handler` metadata.
 */
export const CHECKOUT_TASK_FUNCTIONS = {
  priceCart: { handler: 'price-cart', placeholder: 'PriceCartFunctionArn', timeoutSeconds: 5 },
  reserveLine: { handler: 'reserve-line', placeholder: 'ReserveLineFunctionArn', timeoutSeconds: 5 },
  releaseReservations: {
    handler: 'release-reservations',
    placeholder: 'ReleaseReservationsFunctionArn',
    // Up to 50 lines, each a few DynamoDB calls: far below this. It bounds the claim's lock (the longest task).
    timeoutSeconds: 8,
  },
  authorizePayment: { handler: 'authorize-payment', placeholder: 'AuthorizePaymentFunctionArn', timeoutSeconds: 8 },
  saveOrder: { handler: 'save-order', placeholder: 'SaveOrderFunctionArn', timeoutSeconds: 5 },
  capturePayment: { handler: 'capture-payment', placeholder: 'CapturePaymentFunctionArn', timeoutSeconds: 8 },
  recordCapture: { handler: 'record-capture', placeholder: 'RecordCaptureFunctionArn', timeoutSeconds: 5 },
  voidPayment: { handler: 'void-payment', placeholder: 'VoidPaymentFunctionArn', timeoutSeconds: 8 },
  refundPayment: { handler: 'refund-payment', placeholder: 'RefundPaymentFunctionArn', timeoutSeconds: 8 },
  cancelOrder: { handler: 'cancel-order', placeholder: 'CancelOrderFunctionArn', timeoutSeconds: 5 },
} as const satisfies Record<string, { handler: string; placeholder: string; timeoutSeconds: number }>;

export type CheckoutTaskFunction = keyof typeof CHECKOUT_TASK_FUNCTIONS;

export const CHECKOUT_TASK_FUNCTION_NAMES = Object.keys(CHECKOUT_TASK_FUNCTIONS) as CheckoutTaskFunction[];

/** Placeholders for the resources the workflow reaches through direct integrations. */
export const TABLE_NAME_PLACEHOLDER = 'TableName';
export const EVENT_BUS_NAME_PLACEHOLDER = 'EventBusName';

/** Source file (from the repository root) of a handler, as the template's metadata names it. */
export function handlerSource(handler: string): string {
  return `apps/api/src/handlers/${handler}.ts#handler`;
}

/** The CloudFormation Metadata key naming a function's handler source. */
export const HANDLER_METADATA_KEY = 'orderflow:handler';

/** CloudFormation Metadata marking the checkout state machine in a template. */
export const WORKFLOW_METADATA_KEY = 'orderflow:workflow';
export const CHECKOUT_WORKFLOW_ID = 'checkout';
