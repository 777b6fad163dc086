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

class Compiler {
  private readonly functions: string[] = [];

  /** Returns the name of a JSONata function `($v, $p) -> errors` validating `schema`. */
  compile(schema: JsonSchema, at: string): string {
    for (const keyword of Object.keys(schema)) {
      if (!SUPPORTED.has(keyword) && !IGNORED.has(keyword)) {
        throw new UnsupportedSchemaError(`${at}: JSON Schema keyword "${keyword}" is not supported`);
      }
    }
    const name = `$v${this.functions.length}`;
    this.functions.push(''); // reserve the slot: nested schemas compile first
    const index = this.functions.length - 1;
    this.functions[index] = `${name} := function($v, $p){ ${this.body(schema, at)} }`;
    return name;
  }

  private body(schema: JsonSchema, at: string): string {
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
        return `$type($v) = "boolean" ? [] : $err($p, "Invalid input: expected boolean, received " & $tn($v))`;
      default:
        throw new UnsupportedSchemaError(`${at}: type ${JSON.stringify(type)} is not supported`);
    }
  }

  private object(schema: JsonSchema, at: string): string {
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema['required'] ?? []) as string[]);
    const checks: string[] = [];
    for (const [key, propSchema] of Object.entries(properties)) {
      const fn = this.compile(propSchema, `${at}.${key}`);
      const value = `$lookup($v, ${jsonataString(key)})`;
      const path = `($p = "" ? ${jsonataString(key)} : $p & ${jsonataString(`.${key}`)})`;
      checks.push(required.has(key) ? `${fn}(${value}, ${path})` : `$exists(${value}) ? ${fn}(${value}, ${path}) : []`);
    }
    if (schema['additionalProperties'] === false) {
      const allowed = `[${Object.keys(properties).map(jsonataString).join(', ')}]`;
      checks.push(
        `($u := $filter($keys($v), function($k){ $not($k in ${allowed}) }); $count($u) = 0 ? [] : ` +
          `$err($p, ($count($u) = 1 ? "Unrecognized key: " : "Unrecognized keys: ") & $join($map($u, function($k){ "\\"" & $k & "\\"" }), ", ")))`,
      );
    } else if (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== true) {
      throw new UnsupportedSchemaError(`${at}: only additionalProperties: false is supported`);
    }
    return `$type($v) = "object" ? $flat([${checks.join(', ')}]) : $err($p, "Invalid input: expected object, received " & $tn($v))`;
  }

  private array(schema: JsonSchema, at: string): string {
    const checks: string[] = [];
    if (typeof schema['minItems'] === 'number') {
      checks.push(`$count($v) >= ${schema['minItems']} ? [] : $err($p, "Too small: expected array to have >=${schema['minItems']} items")`);
    }
    if (typeof schema['maxItems'] === 'number') {
      checks.push(`$count($v) <= ${schema['maxItems']} ? [] : $err($p, "Too big: expected array to have <=${schema['maxItems']} items")`);
    }
    if (schema['items'] !== undefined) {
      if (typeof schema['items'] !== 'object' || Array.isArray(schema['items'])) {
        throw new UnsupportedSchemaError(`${at}: items must be one schema`);
      }
      const fn = this.compile(schema['items'] as JsonSchema, `${at}[]`);
      checks.push(`$flat($map($v, function($e, $i){ ${fn}($e, $p & "[" & $string($i) & "]") }))`);
    }
    return `$type($v) = "array" ? $flat([${checks.join(', ')}]) : $err($p, "Invalid input: expected array, received " & $tn($v))`;
  }

  private string(schema: JsonSchema): string {
    const checks: string[] = [];
    if (typeof schema['minLength'] === 'number') {
      checks.push(`$length($v) >= ${schema['minLength']} ? [] : $err($p, "Too small: expected string to have >=${schema['minLength']} characters")`);
    }
    if (typeof schema['maxLength'] === 'number') {
      checks.push(`$length($v) <= ${schema['maxLength']} ? [] : $err($p, "Too big: expected string to have <=${schema['maxLength']} characters")`);
    }
    if (typeof schema['pattern'] === 'string') {
      const pattern = schema['pattern'];
      checks.push(`$contains($v, ${regexLiteral(pattern)}) ? [] : $err($p, ${jsonataString(`Invalid string: must match pattern /${pattern}/`)})`);
    }
    if (Array.isArray(schema['enum'])) checks.push(this.enumCheck(schema['enum']));
    return `$type($v) = "string" ? $flat([${checks.join(', ')}]) : $err($p, "Invalid input: expected string, received " & $tn($v))`;
  }

  private number(schema: JsonSchema, type: 'integer' | 'number'): string {
    const checks: string[] = [];
    if (typeof schema['minimum'] === 'number') {
      checks.push(`$v >= ${schema['minimum']} ? [] : $err($p, "Too small: expected number to be >=${schema['minimum']}")`);
    }
    if (typeof schema['maximum'] === 'number') {
      checks.push(`$v <= ${schema['maximum']} ? [] : $err($p, "Too big: expected number to be <=${schema['maximum']}")`);
    }
    const isType = type === 'integer' ? `($type($v) = "number" and $floor($v) = $v)` : `$type($v) = "number"`;
    const expected = type === 'integer' ? 'int' : 'number';
    return `${isType} ? $flat([${checks.join(', ')}]) : $err($p, "Invalid input: expected ${expected}, received " & $tn($v))`;
  }

  private enumCheck(values: unknown[]): string {
    const list = values.map((v) => JSON.stringify(v)).join(', ');
    const shown = values.map((v) => JSON.stringify(v)).join('|');
    return `$v in [${list}] ? [] : $err($p, ${jsonataString(`Invalid option: expected one of ${shown}`)})`;
  }

  private union(schema: JsonSchema, at: string): string {
    const variants = (schema['oneOf'] ?? schema['anyOf']) as JsonSchema[];
    const discriminator = findDiscriminator(variants);
    if (!discriminator) throw new UnsupportedSchemaError(`${at}: only discriminated unions of objects are supported`);
    const branches = variants.map((variant) => {
      const tag = ((variant['properties'] as Record<string, JsonSchema>)[discriminator]?.['enum'] as unknown[])[0];
      return { tag, fn: this.compile(variant, `${at}<${String(tag)}>`) };
    });
    const tags = branches.map((b) => JSON.stringify(b.tag));
    const message = `Invalid discriminator value. Expected ${branches.map((b) => `'${String(b.tag)}'`).join(' | ')}`;
    let dispatch = `$err(($p = "" ? ${jsonataString(discriminator)} : $p & ${jsonataString(`.${discriminator}`)}), ${jsonataString(message)})`;
    for (const branch of [...branches].reverse()) {
      dispatch = `$d = ${JSON.stringify(branch.tag)} ? ${branch.fn}($v, $p) : ${dispatch}`;
    }
    void tags;
    return `$type($v) = "object" ? ($d := $lookup($v, ${jsonataString(discriminator)}); ${dispatch}) : $err($p, "Invalid input: expected object, received " & $tn($v))`;
  }

  program(rootCall: string): string {
    return [
      '$tn := function($x){ $exists($x) ? $type($x) : "undefined" }',
      '$err := function($p, $m){ [{"path": $p = "" ? "(root)" : $p, "message": $m}] }',
      '$flat := function($a){ $reduce($a, function($acc, $e){ $append($acc, $e) }, []) }',
      ...this.functions,
      rootCall,
    ].join(';\n');
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
 * A JSONata block: `( ...definitions...; $v0(<valueExpression>, <pathPrefix>) )`, evaluating
 * to an array of `{path, message}` (empty or undefined when the value is valid).
 */
export function jsonSchemaToJsonata(schema: JsonSchema, valueExpression: string, pathPrefix = ''): string {
  const compiler = new Compiler();
  const root = compiler.compile(schema, '(root)');
  return `(\n${compiler.program(`${root}(${valueExpression}, ${jsonataString(pathPrefix)})`)}\n)`;
}
