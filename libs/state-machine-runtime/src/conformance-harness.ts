/**
 * Runs the recorded-against-AWS conformance corpus (`/work/shared/conformance`, see its README)
 * on this runtime and compares results with the corpus's rules. Used by conformance.test.ts and
 * by `npm run conformance` (a report of every failing case), and — through the subpath
 * `@orderflow/state-machine-runtime/conformance` — by a Step Functions endpoint's test that runs
 * the same cases through its API (`CaseExecutor`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/workspace';
import { parseTimestamp } from './choice-rules';
import { createIntegrations } from './integrations/index';
import type { LambdaFunctionDefinition } from './integrations/lambda';
import { isJsonObject, jsonEquals, type Json } from './json';
import { compileStateMachine, type ExecutionResult } from './state-machine';

export interface ConformanceCase {
  id: string;
  queryLanguage: 'JSONata' | 'JSONPath' | 'mixed';
  stateMachineType: 'STANDARD' | 'EXPRESS';
  definition: unknown;
  input: Json;
  lambdas?: Record<string, string>;
  expected: { status: 'SUCCEEDED' | 'FAILED'; output?: Json; error?: string; cause?: Json; placeholders?: string[] };
  events: unknown[] | null;
  notes?: string[];
  source: { testSnapshotTransformers?: string[] };
}

/** What a case's execution ended with; `history` only when the executor has it (in-process). */
export type CaseResult = Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause'> & { history?: ExecutionResult['history'] };

/** The names and stand-ins a case runs with: the machine, the execution, the Lambda functions. */
export interface CaseSetting {
  region: string;
  accountId: string;
  stateMachineName: string;
  executionName: string;
  roleArn: string;
  lambdaFunctions: Record<string, LambdaFunctionDefinition>;
}

/** Runs one case: in-process by default, or through something else (an endpoint) that answers the same. */
export type CaseExecutor = (c: ConformanceCase, setting: CaseSetting) => Promise<CaseResult>;

export interface CaseOutcome {
  id: string;
  queryLanguage: ConformanceCase['queryLanguage'];
  pass: boolean;
  reason?: string;
  result?: CaseResult;
}

/** `ASL_CONFORMANCE_DIR`, else `<workspace root>/../shared/conformance`; undefined when absent. */
export function locateConformanceDir(): string | undefined {
  const fromEnv = process.env['ASL_CONFORMANCE_DIR'];
  if (fromEnv) return existsSync(join(fromEnv, 'cases')) ? fromEnv : undefined;
  // src/ -> lib -> libs -> workspace root
  const root = workspaceRoot();
  const dir = join(root, '..', 'shared', 'conformance');
  return existsSync(join(dir, 'cases')) ? dir : undefined;
}

export function loadCases(dir: string): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const casesDir = join(dir, 'cases');
  for (const category of readdirSync(casesDir).sort()) {
    for (const file of readdirSync(join(casesDir, category)).sort()) {
      if (!file.endsWith('.json')) continue;
      out.push(JSON.parse(readFileSync(join(casesDir, category, file), 'utf8')) as ConformanceCase);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lambda stand-ins: the corpus's four trivial Python handlers, run as Node handlers.

/** Python's json.dumps (", " and ": " separators, ASCII escapes): the stand-ins answer like the Python runtime. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`)
    .join(', ')}}`;
}

function standIn(description: string): LambdaFunctionDefinition {
  const python = { serializeResponse: pythonJsonDumps };
  if (description.includes('identity handler')) return { ...python, handler: async (event: unknown) => event };
  if (description.includes('{"Return": "HelloWorld"}')) return { ...python, handler: async () => ({ Return: 'HelloWorld' }) };
  if (description.includes('raises CustomException()')) {
    return {
      ...python,
      handler: async () => {
        throw Object.assign(new Error(''), { name: 'CustomException' });
      },
    };
  }
  if (description.includes('raises Exception(')) {
    return {
      ...python,
      handler: async () => {
        throw Object.assign(new Error('Some exception was raised.'), { name: 'Exception' });
      },
    };
  }
  throw new Error(`No stand-in for Lambda: ${description}`);
}

// ---------------------------------------------------------------------------------------------
// Normalisation and comparison (the corpus README's rules)

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const MACHINE = 'ConformanceMachine';
const EXECUTION = 'conformance-execution';
const ISO_DATE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const SDK_FIXED = new Map([
  ['Date', 'date'],
  ['RequestId', 'RequestId'],
  ['x-amzn-RequestId', 'x-amzn-RequestId'],
  ['X-Amzn-Trace-Id', 'X-Amzn-Trace-Id'],
  ['x-amz-crc32', 'x-amz-crc32'],
]);

function normaliseString(text: string): string {
  return text
    .replaceAll('arn:aws:', 'arn:<partition>:')
    .replaceAll(REGION, '<region>')
    .replaceAll(EXECUTION, '<ExecArnPart_0idx>')
    .replaceAll(MACHINE, '<ArnPart_0idx>')
    .replace(ISO_DATE, (text) => (parseTimestamp(text) === undefined ? text : 'date'));
}

interface Transform {
  key: string;
  replacement: string;
}

function caseTransforms(c: ConformanceCase): Transform[] {
  const out: Transform[] = [];
  for (const t of c.source.testSnapshotTransformers ?? []) {
    const m = /JsonpathTransformer\((?:jsonpath=)?'\$\.\.([A-Za-z_]+)', (?:replacement=)?'([^']*)'/.exec(t);
    if (m) out.push({ key: m[1] as string, replacement: m[2] as string });
  }
  return out;
}

function normalise(value: Json, transforms: Transform[], parentKey?: string): Json {
  if (typeof value === 'string') return normaliseString(value);
  if (Array.isArray(value)) return value.map((v) => normalise(v, transforms, parentKey));
  void parentKey;
  if (!isJsonObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    const t = transforms.find((x) => x.key === key);
    if (t) out[key] = t.replacement;
    else if (/timestamp/i.test(key) && typeof v === 'string' && parseTimestamp(v) === undefined) out[key] = 'timestamp';
    else out[key] = normalise(v as Json, transforms, key);
  }
  return out;
}

const PLACEHOLDER = /<uuid:\d+>|<request[_-]id>|<json-input:\d+>|<MapRunArnPart\d_0idx>/;

function matchesWithPlaceholders(expected: string, actual: string): boolean {
  if (!PLACEHOLDER.test(expected)) return expected === actual;
  const pattern = expected
    .split(new RegExp(`(${PLACEHOLDER.source})`, 'g'))
    .map((part, i) => (i % 2 === 1 ? '[\\s\\S]*?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** A Lambda error document (Python or Node): compare errorType and errorMessage only. */
function lambdaErrorDoc(value: Json): { errorType: Json; errorMessage: Json } | undefined {
  let v = value;
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      v = JSON.parse(v) as Json;
    } catch {
      // not JSON: fall through to the field extraction below
    }
  }
  if (isJsonObject(v) && 'errorType' in v && 'errorMessage' in v) return { errorType: v['errorType'] as Json, errorMessage: v['errorMessage'] as Json };
  // Some recordings broke the JSON with a test transformer (e.g. requestId): read the two fields anyway.
  if (typeof v === 'string' && v.includes('"errorType"')) {
    const type = /"errorType":\s*"([^"]*)"/.exec(v);
    const message = /"errorMessage":\s*"([^"]*)"/.exec(v);
    if (type && message) return { errorType: type[1] as string, errorMessage: message[1] as string };
  }
  return undefined;
}

/**
 * Content-Length of a lambda:invoke result counts the bytes of the real function name where the
 * recording shows a placeholder of another length; such a length cannot be compared.
 */
function matches(expected: Json, actual: Json, key?: string, lengthIsUnknowable = false): boolean {
  if (key === 'Content-Length' && lengthIsUnknowable) return true;
  // SDK metadata values (dates, request ids, trace ids, checksums) were replaced by fixed strings.
  if (key !== undefined && SDK_FIXED.has(key) && (expected === SDK_FIXED.get(key) || (Array.isArray(expected) && expected.length === 1))) {
    return true;
  }
  const expectedDoc = lambdaErrorDoc(expected);
  if (expectedDoc) {
    const actualDoc = lambdaErrorDoc(actual);
    return actualDoc !== undefined && jsonEquals(expectedDoc, actualDoc);
  }
  if (typeof expected === 'string') return typeof actual === 'string' && matchesWithPlaceholders(expected, actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => matches(e, actual[i] as Json, key, lengthIsUnknowable));
  }
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return false;
    const keys = Object.keys(expected);
    if (keys.length !== Object.keys(actual).length) return false;
    return keys.every((k) => k in actual && matches(expected[k] as Json, actual[k] as Json, k, lengthIsUnknowable));
  }
  return jsonEquals(expected, actual);
}

function short(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

/** The runtime itself runs the case. */
export const runInProcess: CaseExecutor = async (c, setting) => {
  const machine = compileStateMachine(c.definition, {
    integrations: createIntegrations({ lambdaFunctions: setting.lambdaFunctions }),
    waitScale: 0,
    region: setting.region,
    accountId: setting.accountId,
    stateMachineName: setting.stateMachineName,
    roleArn: setting.roleArn,
    type: c.stateMachineType,
  });
  return machine.execute(c.input, { name: setting.executionName });
};

/** Runs one case and compares it with the recording. */
export async function runCase(c: ConformanceCase, execute: CaseExecutor = runInProcess): Promise<CaseOutcome> {
  const base = { id: c.id, queryLanguage: c.queryLanguage };
  const lambdaFunctions: Record<string, LambdaFunctionDefinition> = {};
  for (const [name, description] of Object.entries(c.lambdas ?? {})) lambdaFunctions[name] = standIn(description);
  let result: CaseResult;
  try {
    result = await execute(c, { region: REGION, accountId: ACCOUNT, stateMachineName: MACHINE, executionName: EXECUTION, roleArn: 'snf_role_arn', lambdaFunctions });
  } catch (error) {
    return { ...base, pass: false, reason: `threw ${(error as Error).name}: ${(error as Error).message}` };
  }
  const outcome = { ...base, result };
  if (result.status !== c.expected.status) {
    return {
      ...outcome,
      pass: false,
      reason: `status ${result.status} (expected ${c.expected.status})${result.error ? `: ${result.error}: ${result.cause}` : ''}`,
    };
  }
  const transforms = caseTransforms(c);
  if (result.status === 'SUCCEEDED') {
    const actual = normalise(result.output as Json, transforms);
    const placeholders = Object.keys(c.lambdas ?? {}).filter((name) => name.startsWith('<'));
    const lengthIsUnknowable = placeholders.some((name) => JSON.stringify(payloadsOf(result.output as Json)).includes(name));
    if (!matches(c.expected.output as Json, actual, undefined, lengthIsUnknowable)) {
      return { ...outcome, pass: false, reason: `output ${short(actual)}\n      expected ${short(c.expected.output)}` };
    }
    return { ...outcome, pass: true };
  }
  if ((c.expected.error ?? undefined) !== (result.error ?? undefined)) {
    return { ...outcome, pass: false, reason: `error ${result.error} (expected ${c.expected.error}); cause ${result.cause}` };
  }
  const expectedCause = c.expected.cause;
  if (expectedCause === undefined) {
    return result.cause === undefined ? { ...outcome, pass: true } : { ...outcome, pass: false, reason: `cause ${short(result.cause)} (expected none)` };
  }
  if (result.cause === undefined) return { ...outcome, pass: false, reason: `no cause (expected ${short(expectedCause)})` };
  let actualCause: Json = normaliseString(result.cause);
  if (isJsonObject(expectedCause)) {
    try {
      actualCause = normalise(JSON.parse(result.cause) as Json, transforms);
    } catch {
      return { ...outcome, pass: false, reason: `cause is not JSON: ${short(result.cause)}` };
    }
  }
  if (!matches(expectedCause, actualCause)) {
    return { ...outcome, pass: false, reason: `cause ${short(actualCause)}\n      expected ${short(expectedCause)}` };
  }
  return { ...outcome, pass: true };
}

function payloadsOf(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap(payloadsOf);
  if (!isJsonObject(value)) return [];
  const own = 'Payload' in value && 'SdkHttpMetadata' in value ? [value['Payload'] as Json] : [];
  return [...own, ...Object.values(value).flatMap(payloadsOf)];
}

/** The recorded snapshot's "JSON-string leaves" rule: strings at dict keys starting with `{` are parsed. */
function parseLeaves(value: Json, atKey: boolean): Json {
  if (typeof value === 'string') {
    if (atKey && value.startsWith('{')) {
      try {
        return JSON.parse(value) as Json;
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => parseLeaves(v, false));
  if (!isJsonObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) out[k] = parseLeaves(v as Json, true);
  return out;
}

/**
 * Compares the history with the recorded events (informative: the corpus does not require it).
 * Returns undefined on a match, else the first difference.
 */
export function compareHistory(c: ConformanceCase, result: CaseResult): string | undefined {
  if (!c.events || !result.history) return undefined;
  const transforms = caseTransforms(c);
  const actual = (JSON.parse(JSON.stringify(result.history)) as Record<string, Json>[]).map((e) => {
    const out = parseLeaves(e as Json, false) as Record<string, Json>;
    out['timestamp'] = 'timestamp';
    return normalise(out, transforms) as Record<string, Json>;
  });
  // Payload texts are compared as JSON (the recording keeps the text the test sent, e.g. with spaces).
  const asJson = (value: Json, key?: string): Json => {
    if (typeof value === 'string' && (key === 'input' || key === 'output') && /^[[\d"tfn-]/.test(value)) {
      try {
        return JSON.parse(value) as Json;
      } catch {
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v) => asJson(v));
    if (!isJsonObject(value)) return value;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = asJson(v as Json, k);
    return out;
  };
  for (let i = 0; i < actual.length; i++) actual[i] = asJson(actual[i] as Json) as Record<string, Json>;
  const expected = (c.events as Json[]).map((e) => asJson(e)) as Record<string, Json>[];
  const sortedParallel = (c.source.testSnapshotTransformers ?? []).some((t) => t.includes('SfnNoneRecursiveParallelTransformer'));
  if (sortedParallel) return undefined;
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!a || !e) return `event #${i + 1}: ${a ? `extra ${String(a['type'])}` : `missing ${String(e?.['type'])}`}`;
    if (!matches(e as Json, a as Json, undefined, true)) return `event #${i + 1}: ${short(a)}\n      expected ${short(e)}`;
  }
  return undefined;
}

export interface ConformanceSummary {
  total: number;
  passed: number;
  /** Cases whose whole history matches the recording (informative). */
  historiesCompared: number;
  historiesMatching: number;
  historyMismatches: { id: string; reason: string }[];
  byLanguage: Record<string, { total: number; passed: number }>;
  failures: CaseOutcome[];
}

/**
 * Runs every case and sums up. In-process, cases run 25 at a time; an executor that shares
 * names between cases (one machine name, one execution name) runs them one by one (`batch: 1`).
 */
export async function runAll(cases: ConformanceCase[], execute: CaseExecutor = runInProcess, batch = 25): Promise<ConformanceSummary> {
  const summary: ConformanceSummary = {
    total: 0,
    passed: 0,
    historiesCompared: 0,
    historiesMatching: 0,
    historyMismatches: [],
    byLanguage: {},
    failures: [],
  };
  // Cases run concurrently in small batches: most are microseconds, a few wait on scaled timers.
  const outcomes: CaseOutcome[] = [];
  for (let i = 0; i < cases.length; i += batch) {
    outcomes.push(...(await Promise.all(cases.slice(i, i + batch).map((c) => runCase(c, execute)))));
  }
  for (const o of outcomes) {
    const lang = (summary.byLanguage[o.queryLanguage] ??= { total: 0, passed: 0 });
    lang.total++;
    summary.total++;
    if (o.pass) {
      lang.passed++;
      summary.passed++;
    } else summary.failures.push(o);
    const c = cases.find((x) => x.id === o.id);
    if (c?.events && o.result?.history) {
      summary.historiesCompared++;
      const diff = compareHistory(c, o.result);
      if (diff === undefined) summary.historiesMatching++;
      else summary.historyMismatches.push({ id: o.id, reason: diff });
    }
  }
  return summary;
}

export function formatHistoryMismatches(summary: ConformanceSummary): string {
  return summary.historyMismatches.map((m) => `    ${m.id}: ${m.reason}`).join('\n');
}

export function formatSummary(summary: ConformanceSummary): string {
  const lines = [`ASL conformance: ${summary.passed}/${summary.total} cases pass`];
  for (const [lang, s] of Object.entries(summary.byLanguage).sort()) lines.push(`  ${lang}: ${s.passed}/${s.total}`);
  lines.push(`  histories identical to the recording (informative): ${summary.historiesMatching}/${summary.historiesCompared}`);
  if (summary.failures.length > 0) {
    lines.push(`  failing (${summary.failures.length}):`);
    for (const f of summary.failures) lines.push(`    ${f.id}: ${f.reason ?? ''}`);
  }
  return lines.join('\n');
}
