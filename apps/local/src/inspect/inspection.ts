import type { ServerResponse } from 'node:http';
import type { LocalEventBus } from '@orderflow/local-aws';
import type { FunctionLogCapture } from '../function-logs';
import type { IncomingRequest } from '@orderflow/local-aws';
import { summarize } from '../workflow/executions';
import type { LocalStateMachine } from '../workflow/checkout-workflow';
import { executionPath, renderWorkflowSvg } from './graph';
import { inspectionPage } from './page';

/**
 * The local inspection API, beside the service's routes:
 *   GET /_local/                              HTML: executions and the workflow graph
 *   GET /_local/info                          endpoints of the local services, the routes
 *   GET /_local/executions                    recent executions (name, status, duration, wait, transitions),
 *                                             and the concurrency bound: running, queued
 *   GET /_local/executions/{name}             one execution: history in GetExecutionHistory's format, definition
 *   GET /_local/executions/{name}/graph.svg   the workflow with the path the execution took (?view=path: that path alone)
 *   GET /_local/graph.svg                     the workflow
 *   GET /_local/events                        events the bus received, where they went, with outcomes
 *   GET /_local/logs[?execution=name][&since=seq] the handlers' log lines (Powertools JSON), newest first
 */

/**
 * What an execution ran, as AWS would say it: the alias it was started through and the version
 * behind it. Locally there is one definition — the template's — which every alias and version is.
 */
export interface ReleaseInfo {
  alias: string | null;
  version: string;
}

export interface InspectionOptions {
  stateMachine: LocalStateMachine;
  release: ReleaseInfo;
  bus: LocalEventBus;
  functionLogs: FunctionLogCapture;
  info: () => Record<string, unknown>;
}

export type InspectionHandler = (request: IncomingRequest, res: ServerResponse) => Promise<boolean>;

function send(res: ServerResponse, status: number, type: string, body: string): true {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', `${JSON.stringify(body, null, 2)}\n`);
const notFound = (res: ServerResponse, what: string) =>
  json(res, 404, { error: { code: 'ROUTE_NOT_FOUND', message: `No such ${what}.` } });

function limitOf(rawQuery: string, fallback: number): number {
  const value = Number(new URLSearchParams(rawQuery).get('limit') ?? fallback);
  return Number.isInteger(value) && value > 0 ? Math.min(value, 1000) : fallback;
}

export function createInspection(options: InspectionOptions): InspectionHandler {
  const { stateMachine, bus } = options;
  return async (request, res) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.path.replace(/\/+$/, '') || '/';
    if (path === '/_local') return send(res, 200, 'text/html; charset=utf-8', inspectionPage());
    if (path === '/_local/info') return json(res, 200, options.info());
    if (path === '/_local/graph.svg') return send(res, 200, 'image/svg+xml', renderWorkflowSvg(stateMachine.definition));
    if (path === '/_local/executions') {
      const executions = stateMachine.executions.list(limitOf(request.rawQuery, 50)).map((record) => ({ ...summarize(record), release: options.release }));
      return json(res, 200, { concurrency: stateMachine.concurrency(), executions });
    }
    const execution = /^\/_local\/executions\/([^/]+)(\/graph\.svg)?$/.exec(path);
    if (execution) {
      const name = decodeURIComponent(execution[1] as string);
      const record = stateMachine.executions.get(name);
      if (!record) return notFound(res, 'execution');
      if (execution[2]) {
        // The outcome as the client got it, then the execution's status (the page names the execution).
        const title = `${record.httpStatus ? `HTTP ${record.httpStatus}${record.errorCode ? ` ${record.errorCode}` : ''} · ` : ''}execution ${record.status}`;
        // ?view=path: only the states the execution went through (the page's default); else the whole workflow.
        const pathOnly = new URLSearchParams(request.rawQuery).get('view') === 'path';
        return send(res, 200, 'image/svg+xml', renderWorkflowSvg(stateMachine.definition, executionPath(record.history), title, { pathOnly }));
      }
      const path = executionPath(record.history);
      return json(res, 200, {
        ...summarize(record),
        release: options.release,
        executionArn: record.executionArn,
        input: record.input,
        output: record.output,
        cause: record.cause,
        path: {
          statesVisited: [...path.visited],
          failedStates: Object.fromEntries(path.failed),
          mapIterations: Object.fromEntries(path.mapIterations),
        },
        history: { events: record.history },
        definition: stateMachine.definition,
      });
    }
    if (path === '/_local/events') {
      const detailType = new URLSearchParams(request.rawQuery).get('detailType');
      const orderId = new URLSearchParams(request.rawQuery).get('orderId');
      const events = bus
        .events()
        .filter((e) => !detailType || e.detailType === detailType)
        .filter((e) => !orderId || (e.event.detail as { orderId?: unknown }).orderId === orderId)
        .slice(0, limitOf(request.rawQuery, 100));
      return json(res, 200, { events });
    }
    if (path === '/_local/logs') {
      const query = new URLSearchParams(request.rawQuery);
      const correlationId = query.get('execution') ?? undefined;
      const since = Number(query.get('since'));
      return json(res, 200, {
        logs: options.functionLogs.records({
          ...(correlationId ? { correlationId } : {}),
          ...(query.has('since') && Number.isInteger(since) && since >= 0 ? { since } : {}),
          limit: limitOf(request.rawQuery, 200),
        }),
      });
    }
    return false;
  };
}
