/**
 * asl-run: runs a state machine definition once and prints one JSON line.
 *
 *   npx asl-run <definition.json> [--input <file>|-] [--type STANDARD|EXPRESS] [--wait-scale <n>] [--history]
 *               [--lambda <name>=<module>[#export]]...
 *
 * Exit 0 when the execution succeeds, 1 when it fails (or times out / is aborted),
 * 2 for an invalid definition or bad arguments.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StateMachineDefinitionError } from './errors';
import { plainHistoryEvent } from './history';
import type { LambdaHandler } from './integrations/lambda';
import { compileStateMachine, type ExecutionResult } from './state-machine';

const USAGE =
  'usage: asl-run <definition.json> [--input <file>|-] [--type STANDARD|EXPRESS] [--wait-scale <n>] [--history] [--lambda <name>=<module>[#export]]...';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readStdin: () => Promise<string>;
  signal?: AbortSignal;
}

interface CliArgs {
  definitionPath: string;
  inputPath: string | undefined;
  waitScale: number;
  history: boolean;
  type: 'STANDARD' | 'EXPRESS';
  lambdas: { name: string; module: string; exportName: string }[];
}

class UsageError extends Error {
  override name = 'UsageError';
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { definitionPath: '', inputPath: undefined, waitScale: 1, history: false, type: 'STANDARD', lambdas: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--input':
        args.inputPath = value();
        break;
      case '--wait-scale': {
        const raw = value();
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--wait-scale must be a number >= 0, got '${raw}'`);
        args.waitScale = n;
        break;
      }
      case '--history':
        args.history = true;
        break;
      case '--type': {
        const type = value();
        if (type !== 'STANDARD' && type !== 'EXPRESS') throw new UsageError(`--type is STANDARD or EXPRESS, got '${type}'`);
        args.type = type;
        break;
      }
      case '--lambda': {
        const spec = value();
        const m = /^([^=]+)=([^#]+)(?:#(.+))?$/.exec(spec);
        if (!m) throw new UsageError(`--lambda expects <name>=<module>[#export], got '${spec}'`);
        args.lambdas.push({ name: m[1] as string, module: m[2] as string, exportName: m[3] ?? 'handler' });
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'the definition file is required' : 'only one definition file can be given');
  args.definitionPath = positional[0] as string;
  return args;
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function resultLine(result: ExecutionResult, history: boolean): Record<string, unknown> {
  const line: Record<string, unknown> = { status: result.status };
  if (result.status === 'SUCCEEDED') line['output'] = result.output;
  if (result.error !== undefined) line['error'] = result.error;
  if (result.cause !== undefined) line['cause'] = result.cause;
  if (history) line['history'] = result.history.map(plainHistoryEvent);
  return line;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  let definitionText: string;
  let input: unknown = {};
  const functions: Record<string, LambdaHandler> = {};
  try {
    args = parseArgs(argv);
    try {
      definitionText = readFileSync(args.definitionPath, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${args.definitionPath}: ${(error as Error).message}`);
    }
    if (args.inputPath !== undefined) {
      let text: string;
      try {
        text = args.inputPath === '-' ? await io.readStdin() : readFileSync(args.inputPath, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the input ${args.inputPath}: ${(error as Error).message}`);
      }
      input = readJson(text, args.inputPath === '-' ? 'the input on stdin' : `the input ${args.inputPath}`);
    }
    for (const lambda of args.lambdas) {
      const mod = (await import(pathToFileURL(resolve(lambda.module)).href)) as Record<string, unknown>;
      const handler = mod[lambda.exportName];
      if (typeof handler !== 'function') throw new UsageError(`${lambda.module} has no function export '${lambda.exportName}'`);
      functions[lambda.name] = handler as LambdaHandler;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) io.stdout(JSON.stringify({ status: 'INVALID_ARGUMENTS', error: 'InvalidArguments', cause: error.message }));
      io.stderr(USAGE);
      return 2;
    }
    throw error;
  }

  let machine;
  try {
    machine = compileStateMachine(definitionText, {
      waitScale: args.waitScale,
      type: args.type,
      integrations: { lambdaFunctions: functions },
    });
  } catch (error) {
    if (error instanceof StateMachineDefinitionError) {
      io.stdout(
        JSON.stringify({ status: 'INVALID_DEFINITION', error: 'InvalidDefinition', cause: error.message, diagnostics: error.diagnostics }),
      );
      return 2;
    }
    throw error;
  }
  const options = io.signal ? { signal: io.signal } : {};
  const result = await machine.execute(input, options);
  io.stdout(JSON.stringify(resultLine(result, args.history)));
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

const isMain = process.argv[1] !== undefined && /asl-run(\.mjs)?$|cli\.ts$/.test(process.argv[1]);
if (isMain) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const code = await runCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    signal: controller.signal,
  });
  process.exitCode = code;
}
