import type { CapturedCall } from './probe-client';

/** One event of an execution history, in Step Functions' GetExecutionHistory format. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: string;
  [details: string]: unknown;
}

export interface ExecutionSummary {
  name: string;
  status: string;
  durationMs: number;
  stateTransitions: number;
  httpStatus?: number;
  orderId?: string;
}

export interface ExecutionDetail extends ExecutionSummary {
  startDate: string;
  stopDate: string;
  history: { events: HistoryEvent[] };
}

export interface EventRecord {
  detailType: string;
  deliveries: { function: string; status: string; attempts: { outcome?: string; durationMs?: number }[] }[];
}

export interface LocalInfo {
  dynamodb: { endpoint: string; tableName: string };
  /** Path of the synthesized CloudFormation template the stack runs. */
  template?: string;
}

/** The local stack's inspection API (`/_local/...`, apps/local). */
export class LocalInspection {
  constructor(readonly baseUrl: string) {}

  /** The stack's endpoints and its synthesized template; undefined when the target is not a local stack. */
  async info(): Promise<LocalInfo | undefined> {
    const response = await fetch(`${this.baseUrl}/_local/info`);
    if (!response.ok) return undefined;
    return (await response.json()) as LocalInfo;
  }

  async executions(limit = 50): Promise<ExecutionSummary[]> {
    return ((await this.get(`/_local/executions?limit=${limit}`)) as { executions: ExecutionSummary[] }).executions;
  }

  execution(name: string): Promise<ExecutionDetail> {
    return this.get(`/_local/executions/${encodeURIComponent(name)}`) as Promise<ExecutionDetail>;
  }

  /** The handlers' log lines captured after line `since` (0: all kept), newest first. */
  async logs(since: number, limit = 1000): Promise<{ seq: number; bytes: number; level: string }[]> {
    return ((await this.get(`/_local/logs?since=${since}&limit=${limit}`)) as { logs: { seq: number; bytes: number; level: string }[] }).logs;
  }

  /** The sequence number of the newest captured log line (0: none yet). */
  async logMark(): Promise<number> {
    return (await this.logs(0, 1))[0]?.seq ?? 0;
  }

  async events(orderId: string): Promise<EventRecord[]> {
    return ((await this.get(`/_local/events?orderId=${encodeURIComponent(orderId)}`)) as { events: EventRecord[] }).events;
  }

  private async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return response.json();
  }
}

/** A Task state's call, from TaskScheduled to TaskSucceeded/TaskFailed/TaskTimedOut. */
export interface TaskCall {
  state: string;
  /** `lambda`, `dynamodb`, `events` */
  resourceType: string;
  /** `invoke`, `putItem`, `putEvents` */
  resource: string;
  /** The Lambda function, for lambda tasks: `PriceCart` (from `PriceCartFunction4EA469D1`). */
  functionName?: string;
  /** The key of a direct DynamoDB call (its PK), to recognise its request. */
  dynamoPk?: string;
  startMs: number;
  endMs: number;
  outcome: 'succeeded' | 'failed' | 'timed-out';
}

/** Time spent in one state, entered to exited (Map: the whole map). */
export interface StateTime {
  state: string;
  type: string;
  ms: number;
}

/** What one checkout execution did, from its history. */
export interface ExecutionAccount {
  name: string;
  status: string;
  httpStatus: number | undefined;
  orderId: string | undefined;
  durationMs: number;
  stateTransitions: number;
  /** Lambda invocations by the workflow (retries included). */
  lambdaInvocations: number;
  /** Direct service integrations (`dynamodb:putItem`, `events:putEvents`), retries included. */
  directCalls: Record<string, number>;
  tasks: TaskCall[];
  states: StateTime[];
}

const TERMINAL_TASK_EVENTS: Record<string, TaskCall['outcome']> = {
  TaskSucceeded: 'succeeded',
  TaskFailed: 'failed',
  TaskTimedOut: 'timed-out',
  LambdaFunctionSucceeded: 'succeeded',
  LambdaFunctionFailed: 'failed',
  LambdaFunctionTimedOut: 'timed-out',
};

function details(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) if (key.endsWith('EventDetails') && value && typeof value === 'object') return value as Record<string, unknown>;
  return {};
}

/** `arn:...:function:PriceCartFunction4EA469D1` → `PriceCart` */
export function functionNameFromArn(arn: string): string {
  const name = arn.split(':').at(-1) ?? arn;
  return name.replace(/Function[0-9A-F]{8}$/, '').replace(/[0-9A-F]{8}$/, '');
}

/** Counts and times of one execution, read from its history. */
export function accountExecution(execution: ExecutionDetail): ExecutionAccount {
  const events = execution.history.events;
  const byId = new Map(events.map((e) => [e.id, e]));
  const tasks: TaskCall[] = [];
  const open = new Map<number, TaskCall>();
  const entered = new Map<number, { state: string; type: string; at: number }>();
  const states: StateTime[] = [];
  const directCalls: Record<string, number> = {};
  let lambdaInvocations = 0;
  // The state a TaskScheduled belongs to: walk previousEventId back to its *StateEntered.
  const stateOf = (event: HistoryEvent): string => {
    let current: HistoryEvent | undefined = event;
    for (let hops = 0; current && hops < 10; hops++) {
      if (current.type.endsWith('StateEntered')) return String(details(current)['name'] ?? '?');
      current = byId.get(current.previousEventId);
    }
    return '?';
  };
  for (const event of events) {
    const at = Date.parse(event.timestamp);
    const d = details(event);
    if (event.type === 'TaskScheduled' || event.type === 'LambdaFunctionScheduled') {
      const resourceType = event.type === 'LambdaFunctionScheduled' ? 'lambda' : String(d['resourceType']);
      const resource = event.type === 'LambdaFunctionScheduled' ? 'invoke' : String(d['resource']);
      let parameters: Record<string, unknown> = {};
      try {
        parameters = JSON.parse(String(d['parameters'] ?? d['input'] ?? '{}')) as Record<string, unknown>;
      } catch {
        // parameters are not needed for the counts
      }
      const task: TaskCall = { state: stateOf(event), resourceType, resource, startMs: at, endMs: at, outcome: 'succeeded' };
      if (resourceType === 'lambda') {
        lambdaInvocations += 1;
        const fn = parameters['FunctionName'] ?? d['resource'];
        if (typeof fn === 'string') task.functionName = functionNameFromArn(fn);
      } else {
        const key = `${resourceType}:${resource}`;
        directCalls[key] = (directCalls[key] ?? 0) + 1;
        const item = (parameters['Item'] ?? parameters['Key']) as { PK?: { S?: string } } | undefined;
        if (item?.PK?.S) task.dynamoPk = item.PK.S;
      }
      tasks.push(task);
      open.set(event.id, task);
    } else if (TERMINAL_TASK_EVENTS[event.type]) {
      // previousEventId chain: Succeeded → Started → Scheduled
      let current: HistoryEvent | undefined = event;
      for (let hops = 0; current && hops < 4; hops++) {
        const task = open.get(current.id);
        if (task) {
          task.endMs = at;
          task.outcome = TERMINAL_TASK_EVENTS[event.type] as TaskCall['outcome'];
          open.delete(current.id);
          break;
        }
        current = byId.get(current.previousEventId);
      }
    } else if (event.type.endsWith('StateEntered')) {
      entered.set(event.id, { state: String(d['name'] ?? '?'), type: event.type.replace('StateEntered', ''), at });
    } else if (event.type.endsWith('StateExited')) {
      // the matching Entered: same name, walking back
      let current: HistoryEvent | undefined = byId.get(event.previousEventId);
      for (let hops = 0; current && hops < 200; hops++) {
        const start = entered.get(current.id);
        if (start && start.state === d['name']) {
          states.push({ state: start.state, type: start.type, ms: at - start.at });
          entered.delete(current.id);
          break;
        }
        current = byId.get(current.previousEventId);
      }
    }
  }
  return {
    name: execution.name,
    status: execution.status,
    httpStatus: execution.httpStatus,
    orderId: execution.orderId,
    durationMs: execution.durationMs,
    stateTransitions: execution.stateTransitions,
    lambdaInvocations,
    directCalls,
    tasks,
    states,
  };
}

/** A captured call and the task it was made by (undefined: outside the workflow, e.g. event consumers). */
export interface AttributedCall {
  call: CapturedCall;
  task: TaskCall | undefined;
}

function bodyPk(call: CapturedCall): string | undefined {
  try {
    const body = JSON.parse(call.body) as { Item?: { PK?: { S?: string } }; Key?: { PK?: { S?: string } } };
    return (body.Item ?? body.Key)?.PK?.S;
  } catch {
    return undefined;
  }
}

/**
 * Which task made each call of one execution's capture. A direct DynamoDB integration is
 * recognised by its operation and key; a call inside a Lambda task's interval belongs to
 * that Lambda. Times: history timestamps have millisecond resolution, so intervals are
 * widened by 1 ms. Meant for captures of one checkout at a time (no concurrent executions);
 * the calls left over are the event consumers' (they run while the workflow finishes).
 */
export function attributeCalls(account: ExecutionAccount, calls: readonly CapturedCall[]): AttributedCall[] {
  const direct = account.tasks.filter((t) => t.resourceType === 'dynamodb');
  const lambdas = account.tasks.filter((t) => t.resourceType === 'lambda');
  const claimed = new Set<TaskCall>();
  return calls.map((call) => {
    if (call.kind === 'dynamodb') {
      const op = call.target.split(':')[1]?.toLowerCase();
      const pk = bodyPk(call);
      const match = direct.find(
        (t) => !claimed.has(t) && t.resource.toLowerCase() === op && t.dynamoPk === pk && call.startMs >= t.startMs - 1 && call.startMs <= t.endMs + 1,
      );
      if (match) {
        claimed.add(match);
        return { call, task: match };
      }
    }
    const inside = lambdas.find((t) => call.startMs >= t.startMs - 1 && call.endMs <= t.endMs + 1);
    return { call, task: inside };
  });
}
