/**
 * Compiles a JSON Schema (draft 4, as `apiGatewayModelSchema` generates it from the zod
 * schemas in contracts) into one JSONata expression that evaluates to the list of
 * violations, `[{path, message}]`, with zod's path format (`items[0].quantity`, `(root)`)
 * and zod-like messages. The workflow uses it to check the shape of its own input, so
 * the workflow, the API Gateway model and the zod schema share one source of truth.
 *
 * Supported keywords: type, properties, required, additionalProperties: false, minLength,
 * maxLength, pattern, minimum, maximum, minItems, maxItems, items, enum, and oneOf/anyOf
 * over objects told apart by a single-value enum property (a zod discriminated union).
 * Anything else throws here, at build time, so validation is never silently skipped.
 *
 * Each schema compiles twice from the same conditions: a predicate (valid or not: no lists,
 * no paths) that runs first, and the violation lists, worked out only when the predicate says
 * the value is invalid. Requests are nearly always valid: this halves the state's cost.
 */

export interface JsonSchema {
  readonly [keyword: string]: unknown;
}

const IGNORED = new Set(['$schema', 'title', 'description', 'default', 'examples', 'id', '$id']);
const SUPPORTED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'enum',
  'oneOf',
  'anyOf',
]);

export class UnsupportedSchemaError extends Error {
  override name = 'UnsupportedSchemaError';
}

/** A JSONata string literal. */
export function jsonataString(text: string): string {
  return JSON.stringify(text);
}

function regexLiteral(pattern: string): string {
  // JSONata regex literals are JavaScript regexes between slashes.
  return `/${pattern.replace(/(?<!\\)\//g, '\\/')}/`;
}

/** One keyword's check: the condition a valid value meets, and the violation otherwise. */
interface Check {
  ok: string;
  error: string;
}

/** A schema compiled two ways: `$v<n>($v, $p)` → violations, `$k<n>($v)` → valid or not (the same conditions). */
interface Compiled {
  violations: string;
  valid: string;
}

class Compiler {
  private readonly functions: string[] = [];
  private readonly predicates: string[] = [];

  /** Returns the names of the JSONata functions validating `schema`. */
  compile(schema: JsonSchema, at: string): Compiled {
    for (const keyword of Object.keys(schema)) {
      if (!SUPPORTED.has(keyword) && !IGNORED.has(keyword)) {
        throw new UnsupportedSchemaError(`${at}: JSON Schema keyword "${keyword}" is not supported`);
      }
    }
    const index = this.functions.length;
    const names = { violations: `$v${index}`, valid: `$k${index}` };
    this.functions.push(''); // reserve the slots: nested schemas compile first
    this.predicates.push('');
    const { violations, valid } = this.body(schema, at);
    this.functions[index] = `${names.violations} := function($v, $p){ ${violations} }`;
    this.predicates[index] = `${names.valid} := function($v){ ${valid} }`;
    return names;
  }

  /** A type test, then the checks of that type's keywords: all of them reported, or all of them met. */
  private typed(isType: string, typeError: string, checks: Check[]): Compiled {
    return {
      violations: `${isType} ? $flat([${checks.map((c) => `${c.ok} ? [] : ${c.error}`).join(', ')}]) : ${typeError}`,
      // Gated by a ternary, not `and`: a check may only run on a value of its type.
      valid: `${isType} ? ${checks.length ? `(${checks.map((c) => `(${c.ok})`).join(' and ')})` : 'true'} : false`,
    };
  }

  private body(schema: JsonSchema, at: string): Compiled {
    if (schema['oneOf'] || schema['anyOf']) return this.union(schema, at);
    const type = schema['type'];
    switch (type) {
      case 'object':
        return this.object(schema, at);
      case 'array':
        return this.array(schema, at);
      case 'string':
        return this.string(schema);
      case 'integer':
      case 'number':
        return this.number(schema, type);
      case 'boolean':
        return this.typed('$type($v) = "boolean"', '$err($p, "Invalid input: expected boolean, received " & $tn($v))', []);
      default:
        throw new UnsupportedSchemaError(`${at}: type ${JSON.stringify(type)} is not supported`);
    }
  }

  private object(schema: JsonSchema, at: string): Compiled {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema['required'] ?? []) as string[]);
    const checks: string[] = [];
    const valid: string[] = [];
    for (const [key, propSchema] of Object.entries(properties)) {
      const fn = this.compile(propSchema, `${at}.${key}`);
      const value = `$lookup($v, ${jsonataString(key)})`;
      const path = `($p = "" ? ${jsonataString(key)} : $p & ${jsonataString(`.${key}`)})`;
      checks.push(required.has(key) ? `${fn.violations}(${value}, ${path})` : `$exists(${value}) ? ${fn.violations}(${value}, ${path}) : []`);
      valid.push(required.has(key) ? `${fn.valid}(${value})` : `($exists(${value}) ? ${fn.valid}(${value}) : true)`);
    }
    if (schema['additionalProperties'] === false) {
      const allowed = `[${Object.keys(properties).map(jsonataString).join(', ')}]`;
      const unknown = `$filter($keys($v), function($k){ $not($k in ${allowed}) })`;
      checks.push(
        `($u := ${unknown}; $count($u) = 0 ? [] : ` +
          `$err($p, ($count($u) = 1 ? "Unrecognized key: " : "Unrecognized keys: ") & $join($map($u, function($k){ "\\"" & $k & "\\"" }), ", ")))`,
      );
      valid.push(`$not($exists($keys($v)[$not($ in ${allowed})]))`);
    } else if (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== true) {
      throw new UnsupportedSchemaError(`${at}: only additionalProperties: false is supported`);
    }
    const isType = '$type($v) = "object"';
    return {
      violations: `${isType} ? $flat([${checks.join(', ')}]) : $err($p, "Invalid input: expected object, received " & $tn($v))`,
      valid: `${isType} ? ${valid.length ? `(${valid.map((v) => `(${v})`).join(' and ')})` : 'true'} : false`,
    };
  }

  private array(schema: JsonSchema, at: string): Compiled {
    const checks: Check[] = [];
    if (typeof schema['minItems'] === 'number') {
      checks.push({ ok: `$count($v) >= ${schema['minItems']}`, error: `$err($p, "Too small: expected array to have >=${schema['minItems']} items")` });
    }
    if (typeof schema['maxItems'] === 'number') {
      checks.push({ ok: `$count($v) <= ${schema['maxItems']}`, error: `$err($p, "Too big: expected array to have <=${schema['maxItems']} items")` });
    }
    const typeError = '$err($p, "Invalid input: expected array, received " & $tn($v))';
    if (schema['items'] === undefined) return this.typed('$type($v) = "array"', typeError, checks);
    if (typeof schema['items'] !== 'object' || Array.isArray(schema['items'])) {
      throw new UnsupportedSchemaError(`${at}: items must be one schema`);
    }
    const fn = this.compile(schema['items'] as JsonSchema, `${at}[]`);
    const isType = '$type($v) = "array"';
    const own = checks.map((c) => `(${c.ok})`);
    return {
      violations: `${isType} ? $flat([${[...checks.map((c) => `${c.ok} ? [] : ${c.error}`), `$flat($map($v, function($e, $i){ ${fn.violations}($e, $p & "[" & $string($i) & "]") }))`].join(', ')}]) : ${typeError}`,
      valid: `${isType} ? (${[...own, `$reduce($v, function($all, $e){ $all and ${fn.valid}($e) }, true)`].join(' and ')}) : false`,
    };
  }

  private string(schema: JsonSchema): Compiled {
    const checks: Check[] = [];
    if (typeof schema['minLength'] === 'number') {
      checks.push({ ok: `$length($v) >= ${schema['minLength']}`, error: `$err($p, "Too small: expected string to have >=${schema['minLength']} characters")` });
    }
    if (typeof schema['maxLength'] === 'number') {
      checks.push({ ok: `$length($v) <= ${schema['maxLength']}`, error: `$err($p, "Too big: expected string to have <=${schema['maxLength']} characters")` });
    }
    if (typeof schema['pattern'] === 'string') {
      const pattern = schema['pattern'];
      checks.push({ ok: `$contains($v, ${regexLiteral(pattern)})`, error: `$err($p, ${jsonataString(`Invalid string: must match pattern /${pattern}/`)})` });
    }
    if (Array.isArray(schema['enum'])) checks.push(this.enumCheck(schema['enum']));
    return this.typed('$type($v) = "string"', '$err($p, "Invalid input: expected string, received " & $tn($v))', checks);
  }

  private number(schema: JsonSchema, type: 'integer' | 'number'): Compiled {
    const checks: Check[] = [];
    if (typeof schema['minimum'] === 'number') {
      checks.push({ ok: `$v >= ${schema['minimum']}`, error: `$err($p, "Too small: expected number to be >=${schema['minimum']}")` });
    }
    if (typeof schema['maximum'] === 'number') {
      checks.push({ ok: `$v <= ${schema['maximum']}`, error: `$err($p, "Too big: expected number to be <=${schema['maximum']}")` });
    }
    const isType = type === 'integer' ? `($type($v) = "number" and $floor($v) = $v)` : `$type($v) = "number"`;
    const expected = type === 'integer' ? 'int' : 'number';
    return this.typed(isType, `$err($p, "Invalid input: expected ${expected}, received " & $tn($v))`, checks);
  }

  private enumCheck(values: unknown[]): Check {
    const list = values.map((v) => JSON.stringify(v)).join(', ');
    const shown = values.map((v) => JSON.stringify(v)).join('|');
    return { ok: `$v in [${list}]`, error: `$err($p, ${jsonataString(`Invalid option: expected one of ${shown}`)})` };
  }

  private union(schema: JsonSchema, at: string): Compiled {
    const variants = (schema['oneOf'] ?? schema['anyOf']) as JsonSchema[];
    const discriminator = findDiscriminator(variants);
    if (!discriminator) throw new UnsupportedSchemaError(`${at}: only discriminated unions of objects are supported`);
    const branches = variants.map((variant) => {
      const tag = ((variant['properties'] as Record<string, JsonSchema>)[discriminator]?.['enum'] as unknown[])[0];
      return { tag, fn: this.compile(variant, `${at}<${String(tag)}>`) };
    });
    const message = `Invalid discriminator value. Expected ${branches.map((b) => `'${String(b.tag)}'`).join(' | ')}`;
    let dispatch = `$err(($p = "" ? ${jsonataString(discriminator)} : $p & ${jsonataString(`.${discriminator}`)}), ${jsonataString(message)})`;
    let valid = 'false';
    for (const branch of [...branches].reverse()) {
      dispatch = `$d = ${JSON.stringify(branch.tag)} ? ${branch.fn.violations}($v, $p) : ${dispatch}`;
      valid = `$d = ${JSON.stringify(branch.tag)} ? ${branch.fn.valid}($v) : ${valid}`;
    }
    const tag = `$d := $lookup($v, ${jsonataString(discriminator)})`;
    return {
      violations: `$type($v) = "object" ? (${tag}; ${dispatch}) : $err($p, "Invalid input: expected object, received " & $tn($v))`,
      valid: `$type($v) = "object" ? (${tag}; ${valid}) : false`,
    };
  }

  /**
   * The valid case, the common one, runs only the predicates (no violation lists built, no
   * paths); the violations are worked out only when a predicate says the value is invalid.
   */
  program(root: Compiled, valueExpression: string, pathPrefix: string): string {
    const violations = [
      '$tn := function($x){ $exists($x) ? $type($x) : "undefined" }',
      '$err := function($p, $m){ [{"path": $p = "" ? "(root)" : $p, "message": $m}] }',
      '$flat := function($a){ $reduce($a, function($acc, $e){ $append($acc, $e) }, []) }',
      ...this.functions,
      `${root.violations}($x, ${jsonataString(pathPrefix)})`,
    ].join(';\n');
    return [`$x := ${valueExpression}`, ...this.predicates, `${root.valid}($x) ? [] : (\n${violations}\n)`].join(';\n');
  }
}

function findDiscriminator(variants: JsonSchema[]): string | undefined {
  if (variants.length === 0 || !variants.every((v) => v['type'] === 'object' && v['properties'])) return undefined;
  const first = variants[0]?.['properties'] as Record<string, JsonSchema>;
  return Object.keys(first).find((key) =>
    variants.every((v) => {
      const prop = (v['properties'] as Record<string, JsonSchema>)[key];
      const required = (v['required'] ?? []) as string[];
      return Array.isArray(prop?.['enum']) && (prop['enum'] as unknown[]).length === 1 && required.includes(key);
    }),
  );
}

/**
 * A JSONata block: `( ...definitions...; <valid>(<valueExpression>) ? [] : <violations> )`,
 * evaluating to an array of `{path, message}` (empty or undefined when the value is valid).
 */
export function jsonSchemaToJsonata(schema: JsonSchema, valueExpression: string, pathPrefix = ''): string {
  const compiler = new Compiler();
  const root = compiler.compile(schema, '(root)');
  return `(\n${compiler.program(root, valueExpression, pathPrefix)}\n)`;
}
