/**
 * The Map state: items (ItemsPath or Items), ItemSelector, ItemBatcher, concurrency, tolerated failures, inline and distributed iterations.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import { randomUUID } from 'node:crypto';
import type { DefinitionCompiler } from '../compiler';
import { BranchCancelled, CancellationGroup, ExecutionStopped, Frame, isControlSignal } from '../engine';
import { ExecutionFailure, runtimeFailure, StatesErrors } from '../errors';
import { isJsonObject, type Json, type JsonObject, toJsonText } from '../json';
import { isJsonataString, type JsonataTemplate, unexpectedTypeCause } from '../jsonata';
import type { JsonPath } from '../jsonpath';
import type { PayloadTemplate, ValueScope } from '../jsonpath-scope';
import { COMMON_FIELDS, ERROR_FIELDS, FLOW_FIELDS, JSONPATH_IO_FIELDS, NO_RESULT, type StateCtx, WITH_RESULT } from './compile-context';
import { evaluateNumber, ExecutionState, finishJsonataResult, finishJsonPath, type JsonPathResultFields } from './execution-state';
import { type FilterPath, isPromise, type NumberField, runWorkflow, selectPath, type StateNode, type Workflow } from './state-node';
import { checkPayloadSize } from './state-node';


export interface MapFields extends JsonPathResultFields {
  processor: Workflow;
  distributed: boolean;
  label?: string;
  inputPath?: FilterPath;
  itemsPath?: JsonPath;
  itemSelector?: PayloadTemplate;
  items?: JsonataTemplate;
  itemSelectorJsonata?: JsonataTemplate;
  itemBatcher?: { maxItems?: NumberField; batchInput?: PayloadTemplate | JsonataTemplate };
  maxConcurrency?: NumberField;
  toleratedFailureCount?: NumberField;
  toleratedFailurePercentage?: NumberField;
  output?: JsonataTemplate;
}

export const INLINE_CONCURRENCY_CAP = 40;
export const DISTRIBUTED_CONCURRENCY_CAP = 10_000;

export function describeValue(value: Json): string {
  return typeof value === 'string' ? value : toJsonText(value);
}

export class MapState extends ExecutionState {
  readonly type = 'Map';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    readonly f: MapFields,
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected attempt(frame: Frame, input: Json): Promise<Json> {
    return this.attemptAsync(frame, input);
  }

  protected override onFinalFailure(frame: Frame): void {
    frame.run.addEvent(frame, 'MapStateFailed');
  }

  private async attemptAsync(frame: Frame, input: Json): Promise<Json> {
    const f = this.f;
    const jsonata = this.jsonata;
    const bindings = jsonata ? frame.bindings(frame.statesBinding(input)) : undefined;
    const effective = jsonata ? input : selectPath(frame, f.inputPath, input);
    if (!jsonata) frame.run.inspect?.(this.name, 'afterInputPath', effective);

    const maxConcurrency = await this.integerField(frame, f.maxConcurrency, effective, bindings, 'MaxConcurrency', 'integer');
    if (maxConcurrency !== undefined && maxConcurrency < 0) throw runtimeFailure(StatesErrors.Runtime, 'MaxConcurrency cannot be negative.');

    let items: Json;
    if (jsonata) {
      if (f.items !== undefined) {
        items = await f.items.evaluate(bindings as Record<string, unknown>);
        if (!Array.isArray(items)) {
          throw runtimeFailure(StatesErrors.QueryEvaluationError, unexpectedTypeCause(f.items.expressions[0], 'Items', 'array', items));
        }
      } else {
        items = input;
        if (!Array.isArray(items)) {
          throw runtimeFailure(StatesErrors.QueryEvaluationError, `Map state input must be an array but was: ${toJsonText(items)}`);
        }
      }
    } else {
      items = f.itemsPath ? selectPath(frame, f.itemsPath, effective) : effective;
      if (!Array.isArray(items)) {
        throw runtimeFailure(StatesErrors.Runtime, `Map state input must be an array but was: ${toJsonText(items)}`);
      }
    }

    const run = frame.run;
    run.addEvent(frame, 'MapStateStarted', 'mapStateStartedEventDetails', run.recording ? { length: items.length } : undefined);
    const toleratedCount = await this.integerField(frame, f.toleratedFailureCount, effective, bindings, 'ToleratedFailureCount', 'integer');
    const toleratedPercentage = await this.integerField(frame, f.toleratedFailurePercentage, effective, bindings, 'ToleratedFailurePercentage', 'float');
    if (toleratedCount !== undefined && toleratedCount < 0) throw runtimeFailure(StatesErrors.Runtime, 'ToleratedFailureCount cannot be negative.');
    if (toleratedPercentage !== undefined && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
      throw runtimeFailure(StatesErrors.Runtime, 'ToleratedFailurePercentage must be between 0 and 100.');
    }
    let mapRunArn: string | undefined;
    if (f.distributed) {
      mapRunArn = `arn:${run.settings.partition}:states:${run.settings.region}:${run.settings.accountId}:mapRun:${run.settings.stateMachineName}/${f.label ?? this.name}:${randomUUID()}`;
      run.addEvent(frame, 'MapRunStarted', 'mapRunStartedEventDetails', run.recording ? { mapRunArn } : undefined);
    }

    // Item inputs: ItemSelector (with $$.Map.Item) or the item itself.
    const inputs: Json[] = [];
    for (let index = 0; index < items.length; index++) {
      inputs.push(await this.selectItem(frame, effective, input, items[index] as Json, index));
    }
    const batched = f.itemBatcher ? await this.batch(frame, inputs, effective, bindings) : inputs;

    const cap = f.distributed ? DISTRIBUTED_CONCURRENCY_CAP : INLINE_CONCURRENCY_CAP;
    const concurrency = Math.max(1, Math.min(maxConcurrency && maxConcurrency > 0 ? maxConcurrency : cap, cap, batched.length));
    const results = await this.iterate(frame, batched, concurrency, toleratedCount, toleratedPercentage);
    checkPayloadSize(frame, this.name, results);
    frame.run.inspect?.(this.name, 'result', results);

    // Neither MapRunSucceeded nor MapStateSucceeded moves the chain: MapStateExited follows the
    // last iteration (inline) or MapRunStarted (distributed), as AWS records it.
    const completed = f.distributed ? run.addEvent(frame, 'MapRunSucceeded', undefined, undefined, frame.lastEventId, false) : frame.lastEventId;
    run.addEvent(frame, 'MapStateSucceeded', undefined, undefined, completed, false);
    if (jsonata) return finishJsonataResult(frame, input, results, f.output, f.assign);
    return finishJsonPath(frame, f, input, results);
  }

  private async integerField(
    frame: Frame,
    field: NumberField | undefined,
    effective: Json,
    bindings: Record<string, unknown> | undefined,
    name: string,
    kind: 'integer' | 'float',
  ): Promise<number | undefined> {
    let value = await evaluateNumber(frame, field, effective, bindings);
    if (value === undefined || field === undefined) return undefined;
    // A ...Path may point at a numeric string: AWS parses it (as Java's parseInt/parseFloat would).
    if (field.kind === 'path' && typeof value === 'string') {
      const pattern = kind === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      if (pattern.test(value.trim())) value = Number(value.trim());
    }
    const ok = typeof value === 'number' && (kind === 'float' || Number.isInteger(value));
    if (!ok) {
      if (field.kind === 'jsonata') {
        throw runtimeFailure(
          StatesErrors.QueryEvaluationError,
          unexpectedTypeCause(field.template.expressions[0], field.field, kind === 'float' ? 'number' : 'integer', value),
        );
      }
      const source = field.kind === 'path' ? field.path.source : name;
      throw runtimeFailure(StatesErrors.Runtime, `The ${name}Path field refers to value "${describeValue(value)}" which is not a valid ${kind}: ${source}`);
    }
    return value as number;
  }

  private selectItem(frame: Frame, effective: Json, stateInput: Json, item: Json, index: number): Json | Promise<Json> {
    const f = this.f;
    if (f.itemSelector === undefined && f.itemSelectorJsonata === undefined) return item;
    const mapItem: JsonObject = { Index: index, Value: item };
    const context = frame.contextObject();
    context['Map'] = { Item: mapItem };
    if (f.itemSelectorJsonata !== undefined) {
      const states = frame.statesBinding(stateInput).withContext(context);
      return f.itemSelectorJsonata.evaluate(frame.bindings(states));
    }
    const scope: ValueScope = {
      input: effective,
      contextObject: () => context,
      lookupVariable: (name) => frame.lookupVariable(name),
    };
    return (f.itemSelector as PayloadTemplate).evaluate(scope);
  }

  private async batch(frame: Frame, inputs: Json[], effective: Json, bindings: Record<string, unknown> | undefined): Promise<Json[]> {
    const batcher = this.f.itemBatcher as NonNullable<MapFields['itemBatcher']>;
    const max = (await this.integerField(frame, batcher.maxItems, effective, bindings, 'MaxItemsPerBatch', 'integer')) ?? inputs.length;
    let batchInput: Json | undefined;
    if (batcher.batchInput !== undefined) {
      batchInput = 'paths' in batcher.batchInput
        ? batcher.batchInput.evaluate(frame.withInput(effective))
        : await batcher.batchInput.evaluate(bindings as Record<string, unknown>);
    }
    const out: Json[] = [];
    for (let i = 0; i < inputs.length; i += Math.max(1, max)) {
      const batch: JsonObject = { Items: inputs.slice(i, i + Math.max(1, max)) };
      if (batchInput !== undefined) batch['BatchInput'] = batchInput;
      out.push(batch);
    }
    return out;
  }

  private async iterate(
    frame: Frame,
    inputs: Json[],
    concurrency: number,
    toleratedCount: number | undefined,
    toleratedPercentage: number | undefined,
  ): Promise<Json[]> {
    // Distributed maps (and maps that set a tolerance) fail with ExceedToleratedFailureThreshold;
    // an inline map without one fails with the iteration's own error.
    const thresholds = this.f.distributed || toleratedCount !== undefined || toleratedPercentage !== undefined;
    const run = frame.run;
    const distributed = this.f.distributed;
    const processor = this.f.processor;
    const group = new CancellationGroup(frame.signal);
    const results: Json[] = new Array<Json>(inputs.length).fill(null);
    let nextIndex = 0;
    let failures = 0;
    let failure: unknown;
    // AWS chains each MapIterationStarted to the previous iteration's last state event, and
    // MapStateSucceeded to the last MapIterationSucceeded.
    let chain = frame.lastEventId;
    let lastCompletion: number | undefined;
    let failedChain: number | undefined;
    const name = this.name;

    const succeeded = (index: number, iteration: Frame, value: Json, details: { name: string; index: number } | undefined): void => {
      results[index] = value;
      frame.skippedMs = Math.max(frame.skippedMs, iteration.skippedMs);
      if (!distributed) {
        chain = Math.max(chain, iteration.lastEventId);
        lastCompletion = run.addEvent(iteration, 'MapIterationSucceeded', 'mapIterationSucceededEventDetails', details);
      }
    };
    const failed = (index: number, iteration: Frame, error: unknown, details: { name: string; index: number } | undefined): void => {
      frame.skippedMs = Math.max(frame.skippedMs, iteration.skippedMs);
      if (error instanceof BranchCancelled) {
        if (!distributed) run.addEvent(iteration, 'MapIterationAborted', 'mapIterationAbortedEventDetails', details);
        return;
      }
      if (error instanceof ExecutionStopped) {
        failure ??= error;
        group.cancel(error);
        return;
      }
      if (!distributed) {
        chain = Math.max(chain, iteration.lastEventId);
        run.addEvent(iteration, 'MapIterationFailed', 'mapIterationFailedEventDetails', details, iteration.lastEventId, false);
      }
      failures++;
      const f = error instanceof ExecutionFailure ? error : frame.toFailure(error);
      results[index] = { Error: f.error ?? '', Cause: f.cause ?? '' };
      let exceeded = !thresholds;
      if (thresholds) {
        const byCount = toleratedCount !== undefined && failures > toleratedCount;
        const byPercentage = toleratedPercentage !== undefined && (failures * 100) / inputs.length > toleratedPercentage;
        exceeded = toleratedCount === undefined && toleratedPercentage === undefined ? failures > 0 : byCount || byPercentage;
      }
      if (exceeded && failure === undefined) {
        failure = thresholds
          ? new ExecutionFailure(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded')
          : f;
        failedChain = iteration.lastEventId;
        group.cancel();
      }
    };

    /** Runs one iteration; synchronous when its states are. */
    const runOne = (index: number): void | Promise<void> => {
      const details = run.recording ? { name, index } : undefined;
      const iteration = distributed ? new Frame(run, frame, group, 0, 'iteration', true) : new Frame(run, frame, group, 0, 'iteration');
      if (!distributed) {
        iteration.lastEventId = run.addEvent(undefined, 'MapIterationStarted', 'mapIterationStartedEventDetails', details, chain, false);
      }
      let out: Json | Promise<Json>;
      try {
        out = runWorkflow(iteration, processor, inputs[index] as Json);
      } catch (error) {
        failed(index, iteration, error, details);
        return;
      }
      if (!isPromise(out)) {
        succeeded(index, iteration, out, details);
        return;
      }
      return out.then(
        (value) => succeeded(index, iteration, value, details),
        (error: unknown) => failed(index, iteration, error, details),
      );
    };

    const worker = async (): Promise<void> => {
      while (nextIndex < inputs.length && !group.cancelled) {
        const pending = runOne(nextIndex++);
        if (pending !== undefined) await pending;
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < concurrency; i++) workers.push(worker());
    await Promise.all(workers);
    group.dispose();
    if (failure === undefined) {
      frame.checkpoint();
      frame.lastEventId = lastCompletion ?? chain;
      return results;
    }
    if (isControlSignal(failure)) throw failure;
    frame.lastEventId = failedChain ?? chain;
    if (distributed) run.addEvent(frame, 'MapRunFailed');
    throw failure;
  }
}


// Compilation

/** The fields a Map state may have. */
export const MAP_FIELDS = [
  ...COMMON_FIELDS, ...FLOW_FIELDS, ...JSONPATH_IO_FIELDS, ...ERROR_FIELDS,
  'ItemProcessor', 'Iterator', 'ItemsPath', 'Items', 'ItemSelector', 'Parameters', 'ItemReader', 'ItemBatcher', 'ResultWriter',
  'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath',
  'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'Label',
  'ResultPath', 'ResultSelector', 'Output', 'Assign',
];

export function compileMap(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
  const processorRaw = raw['ItemProcessor'] ?? raw['Iterator'];
  if (raw['ItemProcessor'] !== undefined && raw['Iterator'] !== undefined) c.stateError(ctx, undefined, "Use 'ItemProcessor' or the older 'Iterator', not both");
  let processor: Workflow | undefined;
  let distributed = false;
  const processorField = raw['ItemProcessor'] === undefined && raw['Iterator'] !== undefined ? 'Iterator' : 'ItemProcessor';
  if (!isJsonObject(processorRaw)) {
    c.stateError(ctx, processorField, 'is required and must be an object with StartAt and States');
  } else {
    for (const key of Object.keys(processorRaw)) {
      if (!['StartAt', 'States', 'Comment', 'ProcessorConfig'].includes(key)) c.stateError(ctx, `${processorField}.${key}`, `Field '${key}' is not supported`);
    }
    const config = processorRaw['ProcessorConfig'];
    if (config !== undefined) {
      if (!isJsonObject(config)) c.stateError(ctx, `${processorField}.ProcessorConfig`, 'must be an object');
      else {
        const mode = config['Mode'] ?? 'INLINE';
        if (mode !== 'INLINE' && mode !== 'DISTRIBUTED') c.stateError(ctx, `${processorField}.ProcessorConfig.Mode`, 'must be INLINE or DISTRIBUTED');
        distributed = mode === 'DISTRIBUTED';
        const et = config['ExecutionType'];
        if (et !== undefined && et !== 'STANDARD' && et !== 'EXPRESS') c.stateError(ctx, `${processorField}.ProcessorConfig.ExecutionType`, 'must be STANDARD or EXPRESS');
      }
    }
    processor = c.compileContainer(processorRaw, `${ctx.location}/${processorField}`);
  }
  for (const unsupported of ['ItemReader', 'ResultWriter']) {
    if (raw[unsupported] !== undefined) {
      c.stateError(ctx, unsupported, `'${unsupported}' reads/writes Amazon S3, which this runtime does not provide; pass the items in the input instead`, 'UNSUPPORTED_FEATURE');
    }
  }
  const fields: ConstructorParameters<typeof MapState>[3] = {
    processor: processor as Workflow,
    distributed,
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
    resultPath: c.resultPath(raw, 'ResultPath', ctx),
  };
  if (typeof raw['Label'] === 'string') fields.label = raw['Label'];
  else if (raw['Label'] !== undefined) c.stateError(ctx, 'Label', 'must be a string');
  if (!ctx.jsonata) {
    if (raw['ItemsPath'] !== undefined) {
      const p = c.path(raw['ItemsPath'], ctx, 'ItemsPath');
      if (p) fields.itemsPath = p;
    }
    if (raw['ItemSelector'] !== undefined && raw['Parameters'] !== undefined) c.stateError(ctx, undefined, "Use 'ItemSelector' or the older 'Parameters', not both");
    const selector = c.payloadTemplate(raw, raw['ItemSelector'] !== undefined ? 'ItemSelector' : 'Parameters', ctx);
    if (selector) fields.itemSelector = selector;
  } else {
    if (raw['Items'] !== undefined) {
      const items = raw['Items'];
      if (!Array.isArray(items) && !isJsonataString(items)) c.stateError(ctx, 'Items', 'must be an array or a JSONata expression');
      const t = c.jsonataValue(items as Json, 'Items', ctx, NO_RESULT);
      if (t) fields.items = t;
    }
    if (raw['ItemSelector'] !== undefined) {
      const t = c.jsonataValue(raw['ItemSelector'] as Json, 'ItemSelector', ctx, NO_RESULT);
      if (t) fields.itemSelectorJsonata = t;
    }
  }
  const batcher = raw['ItemBatcher'];
  if (batcher !== undefined) {
    if (!isJsonObject(batcher)) c.stateError(ctx, 'ItemBatcher', 'must be an object');
    else {
      const b: NonNullable<typeof fields.itemBatcher> = {};
      const max = c.numberField(batcher, 'MaxItemsPerBatch', ctx, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
      if (max) b.maxItems = max;
      if (batcher['BatchInput'] !== undefined) {
        if (ctx.jsonata) {
          const t = c.jsonataValue(batcher['BatchInput'] as Json, 'ItemBatcher/BatchInput', ctx, NO_RESULT);
          if (t) b.batchInput = t;
        } else {
          const t = c.payloadTemplate(batcher, 'BatchInput', ctx);
          if (t) b.batchInput = t;
        }
      }
      fields.itemBatcher = b;
    }
  }
  const nonNegativeInt = (n: number): boolean => Number.isInteger(n) && n >= 0;
  const maxConcurrency = c.numberField(raw, 'MaxConcurrency', ctx, nonNegativeInt, 'a non-negative integer');
  if (maxConcurrency) fields.maxConcurrency = maxConcurrency;
  const count = c.numberField(raw, 'ToleratedFailureCount', ctx, nonNegativeInt, 'a non-negative integer');
  if (count) fields.toleratedFailureCount = count;
  const percentage = c.numberField(raw, 'ToleratedFailurePercentage', ctx, (n) => n >= 0 && n <= 100, 'a number between 0 and 100');
  if (percentage) fields.toleratedFailurePercentage = percentage;
  const resultSelector = c.payloadTemplate(raw, 'ResultSelector', ctx);
  if (resultSelector) fields.resultSelector = resultSelector;
  const output = c.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
  if (output) fields.output = output;
  const assign = c.assign(raw, ctx, WITH_RESULT);
  if (assign) fields.assign = assign;
  if (!processor) return undefined;
  return c.withErrors(new MapState(ctx.name, ctx.jsonata, nextName, fields), raw, ctx);
}

