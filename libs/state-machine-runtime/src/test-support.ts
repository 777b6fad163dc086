/** Helpers for this library's tests (not part of the public API). */
import type { IntegrationsOptions } from './integrations/index';
import type { IntegrationRegistry, TaskHandler } from './integrations/types';
import { compileStateMachine, type ExecuteOptions, type ExecutionResult, type StateMachineOptions } from './state-machine';

/** Compiles and runs once, with waits skipped unless options say otherwise. */
export async function runMachine(
  definition: unknown,
  input: unknown = {},
  options: StateMachineOptions = {},
  executeOptions: ExecuteOptions = {},
): Promise<ExecutionResult> {
  const machine = compileStateMachine(definition, { waitScale: 0, ...options });
  return machine.execute(input, executeOptions);
}

/** Integrations with one custom resource per handler (`arn:aws:states:::test:<name>`). */
export function testResources(handlers: Record<string, TaskHandler>, extra: IntegrationsOptions = {}): IntegrationsOptions | IntegrationRegistry {
  const resources: Record<string, TaskHandler> = {};
  for (const [name, handler] of Object.entries(handlers)) resources[`arn:aws:states:::test:${name}`] = handler;
  return { ...extra, resources: { ...(extra.resources ?? {}), ...resources } };
}

/** The history's event types, in order. */
export function eventTypes(result: ExecutionResult): string[] {
  return result.history.map((e) => e.type);
}

/** A one-state machine around a state definition. */
export function single(state: Record<string, unknown>, queryLanguage?: 'JSONata' | 'JSONPath'): Record<string, unknown> {
  const terminal = ['Choice', 'Succeed', 'Fail'].includes(state['Type'] as string) || 'Next' in state;
  return { ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}), StartAt: 'S', States: { S: terminal ? state : { End: true, ...state } } };
}
