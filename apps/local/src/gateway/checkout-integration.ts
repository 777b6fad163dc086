import { headerValue, type HttpAnswer, type IncomingRequest, type SyncExecutionCall, type SyncExecutionStarted } from '@orderflow/local-aws';
import { buildCheckoutWorkflowInput, checkoutExecutionName, mapCheckoutExecutionResult } from '@orderflow/order-workflow';
import type { LocalStateMachine } from '../workflow/checkout-workflow';

/**
 * What the local REST API (`@orderflow/local-aws`) is told about this product: POST /orders
 * runs the checkout through StartSyncExecution with the TypeScript twins of its mapping
 * templates (checked against the template at startup), and a request's log line names the
 * order and the error code it can find.
 */

/** The header the stack answers with the checkout execution's name (it starts with the customer id). */
export const EXECUTION_HEADER = 'x-orderflow-execution';

export function checkoutIntegration(stateMachine: LocalStateMachine, allowedOrigins: readonly string[]): (call: SyncExecutionCall) => SyncExecutionStarted {
  return (call) => {
    const authorizedCustomerId = call.claims?.['sub'] ?? null;
    const input = buildCheckoutWorkflowInput({ body: call.body, headers: call.headers, requestId: call.requestId, authorizedCustomerId });
    const executionName = checkoutExecutionName(call.body, call.requestId, authorizedCustomerId);
    const answer = stateMachine.startSyncExecution(input, executionName).then((result) => {
      const mapped = mapCheckoutExecutionResult(result, { origin: headerValue(call.headers, 'Origin'), allowedOrigins });
      return { statusCode: mapped.statusCode, headers: mapped.headers, body: mapped.body };
    });
    return { executionName, answer };
  };
}

function jsonBody(answer: HttpAnswer): Record<string, unknown> | undefined {
  const type = answer.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.includes('json') || answer.body.length === 0 || answer.body.length > 100_000) return undefined;
  try {
    const parsed = JSON.parse(answer.body.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The order id and error code a request's log line shows: from the answer, else the path. */
export function annotateRequest(request: IncomingRequest, answer: HttpAnswer): { orderId?: string; errorCode?: string } {
  const body = jsonBody(answer);
  const orderId = typeof body?.['orderId'] === 'string' ? body['orderId'] : /^\/orders\/(ord_[0-9A-Za-z]+)$/.exec(request.path)?.[1];
  const error = answer.statusCode >= 400 ? (body?.['error'] as { code?: unknown } | undefined) : undefined;
  return { ...(orderId ? { orderId } : {}), ...(typeof error?.code === 'string' ? { errorCode: error.code } : {}) };
}
