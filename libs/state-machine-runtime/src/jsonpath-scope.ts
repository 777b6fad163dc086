/**
 * Where JSONPath-language fields read from: the payload (`$`), the context object (`$$`)
 * and workflow variables (`$name`), plus payload templates (`"key.$": path | intrinsic`).
 */
import { runtimeFailure, StatesErrors } from './errors';
import { evaluateIntrinsic, isIntrinsicCall, parseIntrinsic, type IntrinsicCall } from './intrinsics';
import { toJsonText, type Json, type JsonObject } from './json';
import { JsonPathNotFoundError, parseJsonPath, type JsonPath } from './jsonpath';

/** The values a JSONPath expression can reach while a state runs. */
export interface ValueScope {
  /** `$`: the value the field applies to. */
  readonly input: Json;
  /** `$$`: the context object, built on demand. */
  contextObject(): JsonObject;
  /** `$name`: a workflow variable, or undefined when it is not set. */
  lookupVariable(name: string): Json | undefined;
}

/** Thrown (and converted by callers into their own message) when a path finds nothing. */
export class PathLookupError extends Error {
  override name = 'PathLookupError';
  constructor(
    readonly path: JsonPath,
    readonly reason: string,
    readonly searched: Json,
  ) {
    super(reason);
  }
}

/** The value a path names in a scope; PathLookupError when nothing is there. */
export function resolvePath(path: JsonPath, scope: ValueScope): Json {
  let rootValue: Json;
  const root = path.root;
  if (root.kind === 'input') rootValue = scope.input;
  else if (root.kind === 'context') rootValue = scope.contextObject();
  else {
    const value = scope.lookupVariable(root.name);
    if (value === undefined) {
      throw new PathLookupError(path, `The variable '$${root.name}' is not defined`, null);
    }
    rootValue = value;
  }
  if (path.isRootOnly) return rootValue;
  try {
    return path.evaluate(rootValue);
  } catch (error) {
    if (error instanceof JsonPathNotFoundError) throw new PathLookupError(path, error.message, rootValue);
    throw error;
  }
}

/** Whether a path finds a node in a scope (IsPresent): indefinite paths must find at least one. */
export function pathExists(path: JsonPath, scope: ValueScope): boolean {
  try {
    const value = resolvePath(path, scope);
    return path.definite || path.isRootOnly || (Array.isArray(value) && value.length > 0);
  } catch (error) {
    if (error instanceof PathLookupError) return false;
    throw error;
  }
}

/** A `.$` value in a template: a path or an intrinsic call. */
type Dynamic = { k: 'path'; path: JsonPath; field: string } | { k: 'intrinsic'; call: IntrinsicCall; field: string };

type TemplateNode =
  | { k: 'const'; value: Json }
  | { k: 'dynamic'; d: Dynamic }
  | { k: 'object'; entries: { key: string; node: TemplateNode }[] }
  | { k: 'array'; items: TemplateNode[] };

/** A problem found while compiling a template; the caller adds the location. */
export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Parses the string of a `.$` field (or of InputPath-like fields when `allowIntrinsic`). */
export function compileDynamic(text: string, field: string): Dynamic {
  if (isIntrinsicCall(text)) {
    try {
      return { k: 'intrinsic', call: parseIntrinsic(text.trim()), field };
    } catch (error) {
      throw new TemplateSyntaxError((error as Error).message, field);
    }
  }
  if (!text.startsWith('$')) {
    throw new TemplateSyntaxError(`The value for the field '${field}' must be a valid JSONPath or an intrinsic function call`, field);
  }
  try {
    return { k: 'path', path: parseJsonPath(text), field };
  } catch (error) {
    throw new TemplateSyntaxError((error as Error).message, field);
  }
}

function compileNode(value: unknown, field: string): TemplateNode {
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileNode(v, `${field}[${i}]`));
    return items.every((n) => n.k === 'const') ? { k: 'const', value: value as Json } : { k: 'array', items };
  }
  if (typeof value === 'object' && value !== null) {
    const entries: { key: string; node: TemplateNode }[] = [];
    let allConst = true;
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('.$')) {
        if (typeof v !== 'string') {
          throw new TemplateSyntaxError(`The value for the field '${key}' must be a STRING that contains a JSONPath`, key);
        }
        entries.push({ key: key.slice(0, -2), node: { k: 'dynamic', d: compileDynamic(v, key) } });
        allConst = false;
      } else {
        const node = compileNode(v, key);
        if (node.k !== 'const') allConst = false;
        entries.push({ key, node });
      }
    }
    return allConst ? { k: 'const', value: value as Json } : { k: 'object', entries };
  }
  return { k: 'const', value: value as Json };
}

/** A compiled JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign). */
export class PayloadTemplate {
  private readonly root: TemplateNode;
  readonly paths: JsonPath[] = [];

  constructor(value: unknown, field: string) {
    this.root = compileNode(value, field);
    collectPaths(this.root, this.paths);
  }

  /** Evaluates the template. Missing paths fail with States.Runtime naming the field. */
  evaluate(scope: ValueScope): Json {
    return evalNode(this.root, scope);
  }
}

function collectPaths(node: TemplateNode, out: JsonPath[]): void {
  if (node.k === 'dynamic') {
    if (node.d.k === 'path') out.push(node.d.path);
  } else if (node.k === 'object') node.entries.forEach((e) => collectPaths(e.node, out));
  else if (node.k === 'array') node.items.forEach((n) => collectPaths(n, out));
}

function evalNode(node: TemplateNode, scope: ValueScope): Json {
  switch (node.k) {
    case 'const':
      return node.value;
    case 'dynamic':
      return evaluateDynamic(node.d, scope);
    case 'object': {
      const out: JsonObject = {};
      for (const { key, node: child } of node.entries) out[key] = evalNode(child, scope);
      return out;
    }
    case 'array':
      return node.items.map((n) => evalNode(n, scope));
  }
}

/** AWS's message for a template path that finds nothing. */
export function pathNotFoundCause(pathSource: string, field: string, searched: Json): string {
  return `The JSONPath '${pathSource}' specified for the field '${field}' could not be found in the input '${toJsonText(searched)}'`;
}

export function evaluateDynamic(d: Dynamic, scope: ValueScope): Json {
  if (d.k === 'path') {
    try {
      return resolvePath(d.path, scope);
    } catch (error) {
      if (error instanceof PathLookupError) {
        throw runtimeFailure(StatesErrors.Runtime, pathNotFoundCause(d.path.source, d.field, error.searched));
      }
      throw error;
    }
  }
  argumentField = d.field;
  return evaluateIntrinsic(d.call, resolveArgument, scope);
}

// The field named in "could not be found" causes; set before each (synchronous) intrinsic evaluation.
let argumentField = '';

function resolveArgument(path: JsonPath, scope: ValueScope): Json {
  try {
    return resolvePath(path, scope);
  } catch (error) {
    if (error instanceof PathLookupError) {
      throw runtimeFailure(StatesErrors.Runtime, pathNotFoundCause(path.source, argumentField, error.searched));
    }
    throw error;
  }
}
