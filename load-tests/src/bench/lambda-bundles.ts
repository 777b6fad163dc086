// Lambda bundle sizes and cold-start import times of every handler of apps/api:
//   npm run bench -w @orderflow/load-tests [-- --runs 7 --json bundles.json]
// Each handler is bundled with esbuild as the CDK stack's NodejsFunction does (ESM, minified,
// node22 target, source map, the AWS SDK bundled too), then imported in fresh Node processes
// (--runs times each), timing `await import()` of the bundle alone: module evaluation and
// top-level init, the part of a cold start the code controls. For comparison, each handler is
// also bundled with @aws-sdk/* external (the Node 22 runtime's copy, NodejsFunction's default).
// Files, not imports: load-tests may not import apps (the handlers are read by path).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { build, type Metafile } from 'esbuild';

/** The NodejsFunction bundling options of apps/infra/src/orderflow-stack.ts, as esbuild options. */
export const CDK_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  external: [] as string[],
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __orderflowCreateRequire } from 'node:module'; const require = __orderflowCreateRequire(import.meta.url);",
  },
} as const;

export interface BundleFigures {
  handler: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** The packages that make most of the bundle, by bytes of output. */
  largestInputs: { name: string; bytes: number }[];
  /** Median `import()` time, ms, without and with --enable-source-maps (the template's NODE_OPTIONS). */
  importMs: number;
  importMsSourceMaps: number;
  importRunsMs: number[];
  /** The same handler with @aws-sdk/* external (loaded from the runtime's node_modules): size and median import time. */
  sdkExternal: { bytes: number; importMs: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) {
    const parts = input.split('/');
    return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : input;
  }
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? input);
}

function largestInputs(metafile: Metafile, outfile: string): { name: string; bytes: number }[] {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(basename(outfile)))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name, bytes]) => ({ name, bytes }));
}

/** The environment a deployed function has (values local: nothing is called at import). */
function lambdaEnvironment(sourceMaps: boolean): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    // In Lambda: the handlers then load Powertools Tracer (tracing Active), as deployed.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    TABLE_NAME: 'orderflow',
    EVENT_BUS_NAME: 'orderflow',
    POWERTOOLS_SERVICE_NAME: 'orderflow',
    POWERTOOLS_METRICS_NAMESPACE: 'orderflow',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };
}

/** `await import(bundle)` in a fresh Node process: milliseconds. */
export function timeImport(bundle: string, sourceMaps: boolean): number {
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); const ms = performance.now() - t; if (typeof m.handler !== 'function') throw new Error('no handler export'); process.stdout.write(String(ms));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: lambdaEnvironment(sourceMaps), encoding: 'utf8' });
  return Number(out.trim());
}

export interface BenchBundlesOptions {
  runs: number;
  /** Only these handlers (file names without .ts); default every handler of apps/api. */
  handlers?: string[];
  /** Where bundles go: inside the repository, so the external @aws-sdk/* resolve from its node_modules as the runtime's copy would. */
  outDir?: string;
  onProgress?: (line: string) => void;
}

export async function benchBundles(options: BenchBundlesOptions): Promise<BundleFigures[]> {
  const root = workspaceRoot();
  const handlersDir = join(root, 'apps', 'api', 'src', 'handlers');
  const outDir = options.outDir ?? join(root, 'load-tests', '.cache', 'bundles');
  rmSync(outDir, { recursive: true, force: true });
  const handlers =
    options.handlers ??
    readdirSync(handlersDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => basename(f, '.ts'))
      .sort();
  const figures: BundleFigures[] = [];
  for (const handler of handlers) {
    const outfile = join(outDir, handler, 'index.mjs');
    mkdirSync(join(outDir, handler), { recursive: true });
    const result = await build({
      ...CDK_BUNDLING,
      external: [...CDK_BUNDLING.external],
      mainFields: [...CDK_BUNDLING.mainFields],
      entryPoints: [join(handlersDir, `${handler}.ts`)],
      outfile,
      metafile: true,
      logLevel: 'error',
      absWorkingDir: root,
    });
    const code = readFileSync(outfile);
    // The alternative: the SDK loaded from the runtime's node_modules instead of bundled.
    const externalOutfile = join(outDir, handler, 'sdk-external', 'index.mjs');
    mkdirSync(dirname(externalOutfile), { recursive: true });
    await build({
      ...CDK_BUNDLING,
      external: ['@aws-sdk/*'],
      mainFields: [...CDK_BUNDLING.mainFields],
      entryPoints: [join(handlersDir, `${handler}.ts`)],
      outfile: externalOutfile,
      logLevel: 'error',
      absWorkingDir: root,
    });
    const runs: number[] = [];
    const runsMaps: number[] = [];
    const runsExternal: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      runs.push(timeImport(outfile, false));
      runsMaps.push(timeImport(outfile, true));
      runsExternal.push(timeImport(externalOutfile, false));
    }
    const entry: BundleFigures = {
      handler,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      mapBytes: statSync(`${outfile}.map`).size,
      largestInputs: largestInputs(result.metafile, outfile),
      importMs: median(runs),
      importMsSourceMaps: median(runsMaps),
      importRunsMs: runs,
      sdkExternal: { bytes: statSync(externalOutfile).size, importMs: median(runsExternal) },
    };
    figures.push(entry);
    options.onProgress?.(
      `  ${handler.padEnd(22)} ${(entry.bytes / 1024).toFixed(0).padStart(5)} KB  import ${entry.importMs.toFixed(0).padStart(4)} ms (source maps ${entry.importMsSourceMaps.toFixed(0)} ms; SDK external ${(entry.sdkExternal.bytes / 1024).toFixed(0)} KB, ${entry.sdkExternal.importMs.toFixed(0)} ms)`,
    );
  }
  return figures;
}

/** Packages the handlers import, each timed alone: where a cold start's import time goes. */
export const BUNDLE_PARTS = [
  'zod',
  '@orderflow/contracts',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/tracer',
  '@aws-lambda-powertools/metrics',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  'stripe',
  '@paypal/checkout-server-sdk',
] as const;

export interface PartFigures {
  part: string;
  bytes: number;
  importMs: number;
}

/** Each part bundled alone the same way (the SDK bundled, as in the handlers) and imported in fresh processes. */
export async function benchParts(options: { runs: number; outDir?: string; parts?: readonly string[]; onProgress?: (line: string) => void }): Promise<PartFigures[]> {
  const root = workspaceRoot();
  const outDir = options.outDir ?? join(root, 'load-tests', '.cache', 'bundle-parts');
  rmSync(outDir, { recursive: true, force: true });
  const figures: PartFigures[] = [];
  for (const part of options.parts ?? BUNDLE_PARTS) {
    const outfile = join(outDir, part.replace(/[@/]/g, '_'), 'index.mjs');
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      ...CDK_BUNDLING,
      external: [...CDK_BUNDLING.external],
      mainFields: [...CDK_BUNDLING.mainFields],
      stdin: { contents: `import * as part from ${JSON.stringify(part)};\nexport const handler = () => part;\n`, resolveDir: join(root, 'apps', 'api'), loader: 'ts' },
      outfile,
      logLevel: 'error',
      absWorkingDir: root,
    });
    const runs = Array.from({ length: options.runs }, () => timeImport(outfile, false));
    const entry = { part, bytes: statSync(outfile).size, importMs: median(runs) };
    figures.push(entry);
    options.onProgress?.(`  ${part.padEnd(36)} ${(entry.bytes / 1024).toFixed(0).padStart(5)} KB  import ${entry.importMs.toFixed(0).padStart(4)} ms`);
  }
  return figures;
}

export function formatPartsTable(figures: readonly PartFigures[]): string {
  const lines = [
    '| imported alone | bundle | import, median |',
    '|---|---:|---:|',
    ...figures.map((f) => `| ${f.part} | ${(f.bytes / 1024).toFixed(0)} KB | ${f.importMs.toFixed(0)} ms |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatBundleTable(figures: readonly BundleFigures[]): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const lines = [
    '| handler | bundle (minified) | gzip | source map | largest parts | import, median | with `--enable-source-maps` | `@aws-sdk/*` external instead: size, import |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
    ...figures.map(
      (f) =>
        `| ${f.handler} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} | ${kb(f.mapBytes)} | ${f.largestInputs.map((i) => `${i.name} ${kb(i.bytes)}`).join(', ')} | ${f.importMs.toFixed(0)} ms | ${f.importMsSourceMaps.toFixed(0)} ms | ${kb(f.sdkExternal.bytes)}, ${f.sdkExternal.importMs.toFixed(0)} ms |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, json: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  process.stderr.write(`bundling the handlers of apps/api as the CDK stack does, importing each ${runs} times in fresh Node ${process.version} processes\n`);
  const figures = await benchBundles({ runs, onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stderr.write('the packages the handlers import, each bundled and imported alone\n');
  const parts = await benchParts({ runs, onProgress: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${formatBundleTable(figures)}\n${formatPartsTable(parts)}`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ node: process.version, runs, figures, parts }, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
