/**
 * The Parallel state: its branches run at once on the same input; a failing branch cancels the others.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import type { DefinitionCompiler } from '../compiler';
import { BranchCancelled, CancellationGroup, Frame } from '../engine';
import { isJsonObject, type Json } from '../json';
import type { JsonataTemplate } from '../jsonata';
import type { PayloadTemplate } from '../jsonpath-scope';
import { COMMON_FIELDS, ERROR_FIELDS, FLOW_FIELDS, JSONPATH_IO_FIELDS, NO_RESULT, type StateCtx, WITH_RESULT } from './compile-context';
import { ExecutionState, finishJsonataResult, finishJsonPath, type JsonPathResultFields } from './execution-state';
import { type FilterPath, isPromise, runWorkflow, selectPath, type StateNode, type Workflow } from './state-node';
import { checkPayloadSize } from './state-node';


export class ParallelState extends ExecutionState {
  readonly type = 'Parallel';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    readonly branches: Workflow[],
    private readonly f: JsonPathResultFields & {
      inputPath?: FilterPath;
      parameters?: PayloadTemplate;
      arguments?: JsonataTemplate;
      output?: JsonataTemplate;
    },
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected attempt(frame: Frame, input: Json): Promise<Json> {
    return this.attemptAsync(frame, input);
  }

  protected override onFinalFailure(frame: Frame): void {
    frame.run.addEvent(frame, 'ParallelStateFailed');
  }

  private async attemptAsync(frame: Frame, input: Json): Promise<Json> {
    const f = this.f;
    let branchInput: Json;
    if (this.jsonata) {
      branchInput = f.arguments ? await f.arguments.evaluate(frame.bindings(frame.statesBinding(input))) : input;
    } else {
      const effective = selectPath(frame, f.inputPath, input);
      branchInput = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
      frame.run.inspect?.(this.name, 'afterInputPath', effective);
      if (f.parameters) frame.run.inspect?.(this.name, 'afterParameters', branchInput);
    }
    const run = frame.run;
    const startId = run.addEvent(frame, 'ParallelStateStarted');
    const group = new CancellationGroup(frame.signal);
    let failure: unknown;
    let failedLastId: number | undefined;
    let lastId = startId;
    const results = await Promise.all(
      this.branches.map(async (branch) => {
        const branchFrame = new Frame(run, frame, group, startId, 'branch');
        try {
          const out = runWorkflow(branchFrame, branch, branchInput);
          return isPromise(out) ? await out : out;
        } catch (error) {
          if (!(error instanceof BranchCancelled)) {
            if (failure === undefined) {
              failure = error;
              failedLastId = branchFrame.lastEventId;
            }
            group.cancel();
          }
          return null;
        } finally {
          lastId = Math.max(lastId, branchFrame.lastEventId);
          // Execution time skipped by scaled waits in a branch counts for what follows.
          frame.skippedMs = Math.max(frame.skippedMs, branchFrame.skippedMs);
        }
      }),
    );
    group.dispose();
    if (failure !== undefined) {
      frame.lastEventId = failedLastId ?? lastId;
      throw failure;
    }
    frame.checkpoint();
    frame.lastEventId = lastId;
    checkPayloadSize(frame, this.name, results);
    frame.run.inspect?.(this.name, 'result', results);
    run.addEvent(frame, 'ParallelStateSucceeded', undefined, undefined, lastId, false);
    if (this.jsonata) return finishJsonataResult(frame, input, results, f.output, f.assign);
    return finishJsonPath(frame, f, input, results);
  }
}

// ---------------------------------------------------------------------------------------------

// Compilation

/** The fields a Parallel state may have. */
export const PARALLEL_FIELDS = [...COMMON_FIELDS, ...FLOW_FIELDS, ...JSONPATH_IO_FIELDS, ...ERROR_FIELDS, 'Branches', 'Parameters', 'Arguments', 'ResultPath', 'ResultSelector', 'Output', 'Assign'];

export function compileParallel(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
  const branches = raw['Branches'];
  const compiled: Workflow[] = [];
  if (!Array.isArray(branches) || branches.length === 0) {
    c.stateError(ctx, 'Branches', 'is required and must be a non-empty array of branches');
  } else {
    branches.forEach((b, i) => {
      if (!isJsonObject(b)) {
        c.stateError(ctx, `Branches[${i}]`, 'must be an object with StartAt and States');
        return;
      }
      for (const key of Object.keys(b)) {
        if (!['StartAt', 'States', 'Comment'].includes(key)) c.stateError(ctx, `Branches[${i}].${key}`, `Field '${key}' is not supported`);
      }
      const w = c.compileContainer(b, `${ctx.location}/Branches/${i}`);
      if (w) compiled.push(w);
    });
  }
  const fields: ConstructorParameters<typeof ParallelState>[4] = {
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
    resultPath: c.resultPath(raw, 'ResultPath', ctx),
  };
  const parameters = c.payloadTemplate(raw, 'Parameters', ctx);
  if (parameters) fields.parameters = parameters;
  const args = c.jsonataTemplate(raw, 'Arguments', ctx, NO_RESULT);
  if (args) fields.arguments = args;
  const resultSelector = c.payloadTemplate(raw, 'ResultSelector', ctx);
  if (resultSelector) fields.resultSelector = resultSelector;
  const output = c.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
  if (output) fields.output = output;
  const assign = c.assign(raw, ctx, WITH_RESULT);
  if (assign) fields.assign = assign;
  return c.withErrors(new ParallelState(ctx.name, ctx.jsonata, nextName, compiled, fields), raw, ctx);
}

