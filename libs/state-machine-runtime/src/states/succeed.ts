/**
 * The Succeed state: ends its sequence with its (filtered) input.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import type { DefinitionCompiler } from '../compiler';
import type { Frame } from '../engine';
import type { Json } from '../json';
import type { JsonataTemplate } from '../jsonata';
import { COMMON_FIELDS, JSONPATH_IO_FIELDS, NO_RESULT, type StateCtx } from './compile-context';
import type { JsonataAssign, JsonPathAssign} from './state-node';
import { type AssignDecl, type FilterPath, finishJsonata, selectPath, StateNode } from './state-node';


export class SucceedState extends StateNode {
  readonly type = 'Succeed';
  constructor(
    name: string,
    jsonata: boolean,
    private readonly f: { inputPath?: FilterPath; outputPath?: FilterPath; output?: JsonataTemplate; assign?: AssignDecl },
  ) {
    super(name, jsonata, undefined);
    this.setEventTypes(true);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    frame.next = undefined;
    const f = this.f;
    if (this.jsonata) {
      if (f.output === undefined && f.assign === undefined) return input;
      const bindings = frame.bindings(frame.statesBinding(input));
      return finishJsonata(frame, bindings, f.output, f.assign as JsonataAssign | undefined, input);
    }
    const effective = selectPath(frame, f.inputPath, input);
    if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, effective);
    return selectPath(frame, f.outputPath, effective);
  }
}


// Compilation

/** The fields a Succeed state may have. */
export const SUCCEED_FIELDS = [...COMMON_FIELDS, ...JSONPATH_IO_FIELDS, 'Output'];

export function compileSucceed(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx): StateNode {
  return new SucceedState(ctx.name, ctx.jsonata, {
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
    output: c.jsonataTemplate(raw, 'Output', ctx, NO_RESULT),
  });
}
