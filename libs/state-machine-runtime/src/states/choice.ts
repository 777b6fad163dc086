/**
 * The Choice state: its rules (JSONPath comparisons or JSONata conditions), Default, and where it goes.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import { type ChoicePredicate, ChoiceRuleError, compileChoiceRule } from '../choice-rules';
import type { DefinitionCompiler } from '../compiler';
import type { Frame } from '../engine';
import { runtimeFailure, StatesErrors } from '../errors';
import { isJsonObject, type Json } from '../json';
import { evaluateField, isJsonataString, type JsonataExpression, type JsonataTemplate, unexpectedTypeCause } from '../jsonata';
import { COMMON_FIELDS, JSONPATH_IO_FIELDS, NO_RESULT, type StateCtx } from './compile-context';
import type { JsonataAssign, JsonPathAssign} from './state-node';
import { type AssignDecl, type FilterPath, finishJsonata, isPromise, selectPath, StateNode } from './state-node';


export interface ChoiceRuleNode {
  /** JSONPath predicate or JSONata Condition. */
  predicate?: ChoicePredicate;
  condition?: JsonataExpression;
  conditionField: string;
  nextName: string;
  next?: StateNode;
  assign?: AssignDecl;
  output?: JsonataTemplate;
}

export class ChoiceState extends StateNode {
  readonly type = 'Choice';
  defaultState: StateNode | undefined;
  constructor(
    name: string,
    jsonata: boolean,
    readonly rules: ChoiceRuleNode[],
    readonly defaultName: string | undefined,
    private readonly f: { inputPath?: FilterPath; outputPath?: FilterPath; assign?: AssignDecl; output?: JsonataTemplate },
  ) {
    super(name, jsonata, undefined);
    this.setEventTypes(true);
  }

  private noMatch(): never {
    throw runtimeFailure(StatesErrors.NoChoiceMatched, `No Choice Rule matched and no Default is set for the Choice state '${this.name}'.`);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    if (!this.jsonata) {
      const effective = selectPath(frame, this.f.inputPath, input);
      const scope = frame.withInput(effective);
      for (const rule of this.rules) {
        if ((rule.predicate as ChoicePredicate)(scope)) {
          frame.next = rule.next;
          if (rule.assign) (rule.assign as JsonPathAssign).evaluate(frame, effective);
          return selectPath(frame, this.f.outputPath, effective);
        }
      }
      if (this.defaultState === undefined) this.noMatch();
      frame.next = this.defaultState;
      if (this.f.assign) (this.f.assign as JsonPathAssign).evaluate(frame, effective);
      return selectPath(frame, this.f.outputPath, effective);
    }
    const bindings = frame.bindings(frame.statesBinding(input));
    return this.matchJsonata(frame, bindings, input, 0);
  }

  private matchJsonata(frame: Frame, bindings: Record<string, unknown>, input: Json, from: number): Json | Promise<Json> {
    for (let i = from; i < this.rules.length; i++) {
      const rule = this.rules[i] as ChoiceRuleNode;
      const value = evaluateField(rule.condition as JsonataExpression, rule.conditionField, bindings);
      if (isPromise(value)) {
        return value.then((v) =>
          this.isTrue(rule, v) ? this.take(frame, bindings, input, rule) : this.matchJsonata(frame, bindings, input, i + 1),
        );
      }
      if (this.isTrue(rule, value)) return this.take(frame, bindings, input, rule);
    }
    if (this.defaultState === undefined) this.noMatch();
    frame.next = this.defaultState;
    return finishJsonata(frame, bindings, this.f.output, this.f.assign as JsonataAssign | undefined, input);
  }

  private isTrue(rule: ChoiceRuleNode, value: Json): boolean {
    if (typeof value !== 'boolean') {
      throw runtimeFailure(StatesErrors.QueryEvaluationError, unexpectedTypeCause(rule.condition, rule.conditionField, 'boolean', value));
    }
    return value;
  }

  private take(frame: Frame, bindings: Record<string, unknown>, input: Json, rule: ChoiceRuleNode): Json | Promise<Json> {
    frame.next = rule.next;
    return finishJsonata(frame, bindings, rule.output, rule.assign as JsonataAssign | undefined, input);
  }
}

// ---------------------------------------------------------------------------------------------

// Compilation

/** The fields a Choice state may have. */
export const CHOICE_FIELDS = [...COMMON_FIELDS, ...JSONPATH_IO_FIELDS, 'Choices', 'Default', 'Output', 'Assign'];

export function compileChoice(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx): StateNode {
  const choices = raw['Choices'];
  const rules: ChoiceRuleNode[] = [];
  if (!Array.isArray(choices) || choices.length === 0) {
    c.stateError(ctx, 'Choices', 'is required and must be a non-empty array of rules');
  } else {
    choices.forEach((rule, i) => {
      const field = `Choices[${i}]`;
      if (!isJsonObject(rule)) {
        c.stateError(ctx, field, 'must be an object');
        return;
      }
      if (typeof rule['Next'] !== 'string') {
        c.stateError(ctx, `${field}.Next`, 'is required and must be a state name');
        return;
      }
      const node: ChoiceRuleNode = { nextName: rule['Next'], conditionField: `${field}/Condition` };
      if (ctx.jsonata) {
        for (const key of Object.keys(rule)) {
          if (!['Condition', 'Next', 'Comment', 'Assign', 'Output'].includes(key)) c.stateError(ctx, `${field}.${key}`, 'is not supported in a JSONata choice rule');
        }
        const condition = rule['Condition'];
        if (condition === undefined) {
          c.stateError(ctx, `${field}.Condition`, 'is required in a JSONata choice rule');
        } else if (typeof condition === 'boolean') {
          const template = c.jsonataValue(`{% ${condition} %}`, node.conditionField, ctx, NO_RESULT);
          if (template) node.condition = template.expressions[0] as JsonataExpression;
        } else if (!isJsonataString(condition)) {
          c.stateError(ctx, `${field}.Condition`, 'must be a JSONata expression {% ... %} or a boolean');
        } else {
          const template = c.jsonataValue(condition, node.conditionField, ctx, NO_RESULT);
          if (template) node.condition = template.expressions[0] as JsonataExpression;
        }
        if (rule['Output'] !== undefined) {
          const output = c.jsonataValue(rule['Output'] as Json, `${field}/Output`, ctx, NO_RESULT);
          if (output) node.output = output;
        }
      } else {
        try {
          const { Next: _next, Comment: _comment, Assign: _assign, ...condition } = rule;
          node.predicate = compileChoiceRule(condition, field);
        } catch (error) {
          if (error instanceof ChoiceRuleError) c.stateError(ctx, error.field.replace(/\//g, '.'), error.message);
          else throw error;
        }
      }
      const assign = c.assign(rule, ctx, NO_RESULT, `${field}/Assign`);
      if (rule['Assign'] !== undefined && assign) node.assign = assign;
      rules.push(node);
    });
  }
  const def = raw['Default'];
  if (def !== undefined && typeof def !== 'string') c.stateError(ctx, 'Default', 'must be a state name');
  const f: ConstructorParameters<typeof ChoiceState>[4] = {
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
  };
  const assign = c.assign(raw, ctx, NO_RESULT);
  if (assign) f.assign = assign;
  const output = c.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
  if (output) f.output = output;
  return new ChoiceState(ctx.name, ctx.jsonata, rules, typeof def === 'string' ? def : undefined, f);
}

