/**
 * Benchmark (not a test): executions per second and microseconds per state transition for
 *   (a) a 10-state Pass/Choice chain and (b) a Map of 100 items,
 * in JSONata and JSONPath forms, side by side with aws-local-stepfunctions on the JSONPath forms.
 *
 *   npx nx run state-machine-runtime:bench      (or: cd libs/state-machine-runtime && npx tsx bench/run.ts)
 *
 * Options: --seconds <n> per measurement (default 2), --no-history.
 */
import { StateMachine as LocalStepFunctions } from 'aws-local-stepfunctions';
import { compileStateMachine } from '../src/index';

const SECONDS = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;
const HISTORY = !process.argv.includes('--no-history');

type Definition = Record<string, unknown>;

/** (a) P1 → C1 → P2 → C2 → P3 → C3 → P4 → C4 → P5 → P6: 10 states, 10 transitions. */
function chain(language: 'JSONata' | 'JSONPath'): Definition {
  const states: Record<string, unknown> = {};
  for (let i = 1; i <= 6; i++) {
    const next = i <= 4 ? `C${i}` : i === 5 ? 'P6' : undefined;
    const flow = next ? { Next: next } : { End: true };
    states[`P${i}`] =
      language === 'JSONata'
        ? {
            Type: 'Pass',
            Output: { count: '{% $states.input.count + 1 %}', customer: '{% $states.input.customer %}', total: '{% $states.input.total %}' },
            ...flow,
          }
        : {
            Type: 'Pass',
            Parameters: { 'count.$': 'States.MathAdd($.count, 1)', 'customer.$': '$.customer', 'total.$': '$.total' },
            ...flow,
          };
    if (i <= 4) {
      states[`C${i}`] =
        language === 'JSONata'
          ? { Type: 'Choice', Choices: [{ Condition: '{% $states.input.count < 1000 and $states.input.total >= 0 %}', Next: `P${i + 1}` }] }
          : {
              Type: 'Choice',
              Choices: [
                { And: [{ Variable: '$.count', NumericLessThan: 1000 }, { Variable: '$.total', NumericGreaterThanEquals: 0 }], Next: `P${i + 1}` },
              ],
            };
    }
  }
  return { ...(language === 'JSONata' ? { QueryLanguage: 'JSONata' } : {}), StartAt: 'P1', States: states };
}

/** (b) A Map over 100 items whose iteration reshapes each item: 101 transitions. */
function map(language: 'JSONata' | 'JSONPath'): Definition {
  const inner =
    language === 'JSONata'
      ? { Type: 'Pass', Output: { sku: '{% $states.input.sku %}', quantity: '{% $states.input.qty %}' }, End: true }
      : { Type: 'Pass', Parameters: { 'sku.$': '$.sku', 'quantity.$': '$.qty' }, End: true };
  const mapState: Record<string, unknown> = {
    Type: 'Map',
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Line', States: { Line: inner } },
    End: true,
  };
  if (language === 'JSONata') mapState['Items'] = '{% $states.input.items %}';
  else mapState['ItemsPath'] = '$.items';
  return { ...(language === 'JSONata' ? { QueryLanguage: 'JSONata' } : {}), StartAt: 'Lines', States: { Lines: mapState } };
}

const chainInput = { count: 0, customer: 'cust-42', total: 2598 };
const mapInput = { items: Array.from({ length: 100 }, (_, i) => ({ sku: `sku-${i}`, qty: (i % 5) + 1 })) };

interface Measurement {
  executions: number;
  seconds: number;
}

async function measure(run: () => Promise<unknown>): Promise<Measurement> {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await run();
  let executions = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) await run();
    executions += 20;
  }
  return { executions, seconds: (performance.now() - start) / 1000 };
}

interface Row {
  scenario: string;
  engine: string;
  perSecond: number;
  microsPerTransition: number;
}

function row(scenario: string, engine: string, m: Measurement, transitions: number): Row {
  const perSecond = m.executions / m.seconds;
  return { scenario, engine, perSecond, microsPerTransition: (m.seconds * 1e6) / (m.executions * transitions) };
}

async function ours(definition: Definition, input: unknown, expectTransitions: number): Promise<Measurement> {
  const machine = compileStateMachine(definition, { recordHistory: HISTORY });
  const check = await machine.execute(input);
  if (check.status !== 'SUCCEEDED') throw new Error(`benchmark machine failed: ${check.error} ${check.cause}`);
  if (check.stateTransitions !== expectTransitions) throw new Error(`expected ${expectTransitions} transitions, got ${check.stateTransitions}`);
  return measure(() => machine.execute(input));
}

async function theirs(definition: Definition, input: unknown): Promise<Measurement> {
  const machine = new LocalStepFunctions(definition as never);
  await machine.run(input as never).result;
  return measure(() => machine.run(input as never).result);
}

const rows: Row[] = [];
console.log(`state-machine-runtime benchmark: ${SECONDS}s per measurement, history ${HISTORY ? 'recorded' : 'off'}, Node ${process.version}`);
rows.push(row('(a) Pass/Choice chain x10', 'ours JSONata', await ours(chain('JSONata'), chainInput, 10), 10));
rows.push(row('(a) Pass/Choice chain x10', 'ours JSONPath', await ours(chain('JSONPath'), chainInput, 10), 10));
rows.push(row('(a) Pass/Choice chain x10', 'aws-local-stepfunctions JSONPath', await theirs(chain('JSONPath'), chainInput), 10));
rows.push(row('(b) Map of 100 items', 'ours JSONata', await ours(map('JSONata'), mapInput, 101), 101));
rows.push(row('(b) Map of 100 items', 'ours JSONPath', await ours(map('JSONPath'), mapInput, 101), 101));
rows.push(row('(b) Map of 100 items', 'aws-local-stepfunctions JSONPath', await theirs(map('JSONPath'), mapInput), 101));

const pad = (s: string, n: number): string => s.padEnd(n);
console.log(`\n${pad('scenario', 28)}${pad('engine', 36)}${pad('executions/s', 16)}µs/transition`);
for (const r of rows) {
  console.log(`${pad(r.scenario, 28)}${pad(r.engine, 36)}${pad(r.perSecond.toFixed(0), 16)}${r.microsPerTransition.toFixed(2)}`);
}
for (const scenario of ['(a) Pass/Choice chain x10', '(b) Map of 100 items']) {
  const mine = rows.find((r) => r.scenario === scenario && r.engine === 'ours JSONPath') as Row;
  const other = rows.find((r) => r.scenario === scenario && r.engine.startsWith('aws-local')) as Row;
  console.log(`${scenario}: JSONPath throughput ${(mine.perSecond / other.perSecond).toFixed(1)}x aws-local-stepfunctions (target >= 3x)`);
}
for (const r of rows.filter((x) => x.scenario.startsWith('(a)') && x.engine.startsWith('ours'))) {
  console.log(`${r.engine} chain: ${r.microsPerTransition.toFixed(2)} µs/transition (target <= 5)`);
}
