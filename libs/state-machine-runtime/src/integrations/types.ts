import type { Json } from '../json';

/** What an integration learns about the task it runs. */
export interface TaskContext {
  /** The state's Resource, as written in the definition. */
  readonly resource: string;
  readonly stateName: string;
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly region: string;
  readonly accountId: string;
  /** The task's TimeoutSeconds, when the state sets one. */
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  /** The task token of a `.waitForTaskToken` task (answer it with machine.sendTaskSuccess/Failure). */
  readonly taskToken?: string | undefined;
  /** Aborts when the execution stops or the task times out: pass it on to I/O. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the task's timeout (or the execution's), Infinity when none. */
  remainingTimeMillis(): number;
  /** The execution's clock (virtual time when waits are scaled). */
  now(): number;
}

/** How the history records the task: service integrations use Task*, bare Lambda ARNs LambdaFunction*. */
export type TaskHistoryStyle = 'task' | 'lambda-function';

/** One callable resource: a Lambda function, an optimized service integration, your own. */
export interface TaskIntegration {
  /** `taskScheduledEventDetails.resourceType`, e.g. `lambda`, `dynamodb`, `events`. */
  readonly resourceType: string;
  /** `taskScheduledEventDetails.resource`, e.g. `invoke`, `putItem`, `putEvents`. */
  readonly resourceName: string;
  readonly historyStyle?: TaskHistoryStyle;
  /** Integration patterns it supports besides request-response (e.g. `waitForTaskToken`). */
  readonly patterns?: readonly 'waitForTaskToken'[];
  /**
   * Runs the task with its parameters (Parameters/Arguments, or the effective input) and
   * resolves with the task result. Throw `TaskFailure` for an exact Error/Cause; any other
   * error fails the task with Error = its name and Cause = its message.
   */
  invoke(parameters: Json, context: TaskContext): Promise<unknown>;
  /** Optional definition-time check of static parameters; return problems as messages. */
  validateParameters?(parameters: unknown): string[];
}

/** Resolves Resource ARNs to integrations (a family such as every `arn:aws:states:::dynamodb:*`). */
export interface IntegrationProvider {
  /** What this provider serves, for error messages (e.g. `arn:aws:states:::dynamodb:getItem|putItem|...`). */
  readonly description: string;
  /** The integration for a Resource, or undefined when this provider does not serve it. */
  resolve(resource: string): TaskIntegration | undefined;
}

/** A plain function as an integration: `(parameters, context) => result`. */
export type TaskHandler = (parameters: Json, context: TaskContext) => unknown;

/** The Resource without its partition/region variance and integration-pattern suffix. */
export function parseResource(resource: string): {
  service: string;
  action: string;
  pattern: 'request-response' | 'sync' | 'waitForTaskToken';
} | undefined {
  const m = /^arn:aws[a-z-]*:states:[a-z0-9-]*:[0-9]*:([a-zA-Z0-9-]+):([A-Za-z0-9_]+)(\.sync(?::2)?|\.waitForTaskToken)?$/.exec(resource);
  if (!m) return undefined;
  const suffix = m[3];
  return {
    service: m[1] as string,
    action: m[2] as string,
    pattern: suffix === undefined ? 'request-response' : suffix === '.waitForTaskToken' ? 'waitForTaskToken' : 'sync',
  };
}

/**
 * The integrations a state machine can call, keyed by Resource. Register exact ARNs or
 * providers that serve a family of ARNs; the first match wins, exact ARNs first.
 */
export class IntegrationRegistry {
  private readonly exact = new Map<string, TaskIntegration>();
  private readonly providers: IntegrationProvider[] = [];

  /** Serves one exact Resource ARN with an integration or a plain handler function. */
  register(resource: string, integration: TaskIntegration | TaskHandler): this {
    if (typeof integration === 'function') {
      const parsed = parseResource(resource);
      const handler = integration;
      this.exact.set(resource, {
        resourceType: parsed?.service ?? 'custom',
        resourceName: parsed?.action ?? resource,
        invoke: async (parameters, context) => handler(parameters, context),
      });
    } else {
      this.exact.set(resource, integration);
    }
    return this;
  }

  /** Adds a provider that serves a family of resources. */
  use(provider: IntegrationProvider): this {
    this.providers.push(provider);
    return this;
  }

  resolve(resource: string): TaskIntegration | undefined {
    const exact = this.exact.get(resource);
    if (exact) return exact;
    for (const provider of this.providers) {
      const found = provider.resolve(resource);
      if (found) return found;
    }
    return undefined;
  }

  /** What the registry serves, for error messages. */
  describe(): string[] {
    return [...this.exact.keys(), ...this.providers.map((p) => p.description)];
  }
}
