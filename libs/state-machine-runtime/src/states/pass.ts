/**
 * The Pass state: its input, Parameters or Result, to its output.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import type { DefinitionCompiler } from '../compiler';
import type { Frame } from '../engine';
import type { Json } from '../json';
import type { JsonataTemplate } from '../jsonata';
import type { PayloadTemplate } from '../jsonpath-scope';
import { COMMON_FIELDS, FLOW_FIELDS, JSONPATH_IO_FIELDS, NO_RESULT, type StateCtx } from './compile-context';
import type { JsonataAssign, JsonPathAssign} from './state-node';
import { applyResultPath, type AssignDecl, type FilterPath, finishJsonata, type ResultPathSpec, selectPath, StateNode } from './state-node';


export class PassState extends StateNode {
  readonly type = 'Pass';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    private readonly f: {
      inputPath?: FilterPath;
      outputPath?: FilterPath;
      parameters?: PayloadTemplate;
      result?: { value: Json };
      resultPath: ResultPathSpec;
      assign?: AssignDecl;
      output?: JsonataTemplate;
    },
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    const f = this.f;
    if (this.jsonata) {
      if (f.output === undefined && f.assign === undefined) return input;
      const bindings = frame.bindings(frame.statesBinding(input));
      return finishJsonata(frame, bindings, f.output, f.assign as JsonataAssign | undefined, input);
    }
    const effective = selectPath(frame, f.inputPath, input);
    let result = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
    if (f.result !== undefined) result = f.result.value;
    if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, result);
    const placed = applyResultPath(f.resultPath, input, result);
    const inspect = frame.run.inspect;
    if (inspect) {
      inspect(this.name, 'afterInputPath', effective);
      if (f.parameters) inspect(this.name, 'afterParameters', result);
      inspect(this.name, 'result', result);
      inspect(this.name, 'afterResultPath', placed);
    }
    return selectPath(frame, f.outputPath, placed);
  }
}

// ---------------------------------------------------------------------------------------------

// Compilation

/** The fields a Pass state may have. */
export const PASS_FIELDS = [...COMMON_FIELDS, ...FLOW_FIELDS, ...JSONPATH_IO_FIELDS, 'Parameters', 'Result', 'ResultPath', 'Output', 'Assign'];

export function compilePass(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode {
  const f: ConstructorParameters<typeof PassState>[3] = {
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
    resultPath: c.resultPath(raw, 'ResultPath', ctx),
  };
  if (!ctx.jsonata) {
    const parameters = c.payloadTemplate(raw, 'Parameters', ctx);
    if (parameters) f.parameters = parameters;
    if ('Result' in raw) f.result = { value: raw['Result'] as Json };
  }
  const assign = c.assign(raw, ctx, NO_RESULT);
  if (assign) f.assign = assign;
  const output = c.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
  if (output) f.output = output;
  return new PassState(ctx.name, ctx.jsonata, nextName, f);
}

