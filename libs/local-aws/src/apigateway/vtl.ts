import { render } from 'velocityjs';

/**
 * API Gateway's mapping templates (Velocity Template Language) on velocityjs: `$input`, `$util`
 * and `$context` as API Gateway's developer guide describes them, the Java String methods
 * templates call (`length`, `substring`, `replaceAll`, `matches`, `contains`...), and
 * `$context.responseOverride` read back after rendering.
 */

export interface MappingRequest {
  /** The request body as sent. */
  body: string;
  /** Header values by name, as sent (first value of each). */
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** `$context` (requestId, authorizer, ...); `responseOverride` is added. */
  context?: Record<string, unknown>;
  /** `$input.path('$')` of a response template: the integration's answer, parsed. */
  integrationResponse?: unknown;
}

export interface MappingResult {
  output: string;
  /** `$context.responseOverride.status`, when set. */
  status: number | undefined;
  /** `$context.responseOverride.header.*`. */
  headers: Record<string, string>;
}

/** Apache Commons StringEscapeUtils.escapeJavaScript, which `$util.escapeJavaScript` uses. */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '/') out += '\\/';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) {
      for (const unit of code > 0xffff ? String.fromCodePoint(code) : ch) {
        for (let i = 0; i < unit.length; i++) out += `\\u${unit.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
      }
    } else out += ch;
  }
  return out;
}

type Handler = { uid: string; match: (call: { property: string; context: unknown }) => boolean; resolve: (call: { context: string; params: unknown[] }) => unknown };

const stringMethod = (name: string, resolve: (text: string, params: unknown[]) => unknown): Handler => ({
  uid: `java-${name}`,
  match: ({ property, context }) => property === name && typeof context === 'string',
  resolve: ({ context, params }) => resolve(context, params),
});

/** The Java String methods mapping templates use (velocityjs has JavaScript's). */
const JAVA_STRING_METHODS: Handler[] = [
  stringMethod('length', (text) => text.length),
  stringMethod('substring', (text, [from, to]) => text.substring(Number(from ?? 0), to === undefined ? undefined : Number(to))),
  stringMethod('replaceAll', (text, [pattern, replacement]) => text.replace(new RegExp(String(pattern ?? ''), 'g'), String(replacement ?? ''))),
  stringMethod('matches', (text, [pattern]) => new RegExp(`^(?:${String(pattern ?? '')})$`).test(text)),
  stringMethod('contains', (text, [part]) => text.includes(String(part ?? ''))),
  stringMethod('toLowerCase', (text) => text.toLowerCase()),
  stringMethod('equals', (text, [other]) => text === other),
];

function lookup(record: Record<string, string> | undefined, name: string): string | undefined {
  if (!record) return undefined;
  if (record[name] !== undefined) return record[name];
  const wanted = name.toLowerCase();
  return Object.entries(record).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** Renders a request or response mapping template for a request (and, for a response, the integration's answer). */
export function renderMappingTemplate(template: string, request: MappingRequest): MappingResult {
  let parsedBody: unknown;
  const body = () => {
    if (parsedBody === undefined) {
      try {
        parsedBody = JSON.parse(request.body || 'null') as unknown;
      } catch {
        parsedBody = null;
      }
    }
    return parsedBody;
  };
  const source = () => (request.integrationResponse !== undefined ? request.integrationResponse : body());
  const jsonPath = (path: string): unknown => {
    if (path === '$') return source();
    const keys = path.replace(/^\$\.?/, '').split('.').filter(Boolean);
    let value = source();
    for (const key of keys) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };
  const headers = new Map(Object.entries(request.headers));
  const paramsOf = () => ({
    header: headers,
    path: new Map(Object.entries(request.pathParameters ?? {})),
    querystring: new Map(Object.entries(request.query ?? {})),
  });
  const responseOverride: { status?: number | string; header: Record<string, string> } = { header: {} };
  const context = {
    input: {
      body: request.body,
      json: (path: string) => JSON.stringify(jsonPath(path) ?? null),
      path: jsonPath,
      params: (name?: string) =>
        name === undefined ? paramsOf() : (lookup(request.pathParameters, name) ?? lookup(request.query, name) ?? lookup(request.headers, name) ?? ''),
    },
    util: {
      escapeJavaScript,
      parseJson: (text: string) => JSON.parse(text) as unknown,
      urlEncode: (text: string) => encodeURIComponent(text),
      urlDecode: (text: string) => decodeURIComponent(text),
      base64Encode: (text: string) => Buffer.from(text, 'utf8').toString('base64'),
      base64Decode: (text: string) => Buffer.from(text, 'base64').toString('utf8'),
    },
    context: { ...request.context, responseOverride },
  };
  const output = render(template, context, {}, { escape: false, customMethodHandlers: JAVA_STRING_METHODS });
  const status = responseOverride.status === undefined ? undefined : Number(responseOverride.status);
  return { output, status: Number.isFinite(status) ? status : undefined, headers: responseOverride.header };
}
