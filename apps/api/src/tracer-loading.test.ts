import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { disabledTracer, tracer, tracingEnabledByEnvironment } from './observability';

const observability = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'observability.ts')).href;

/** Imports observability.ts in a fresh Node process with `env`: is aws-xray-sdk-core loaded, is the tracer on? */
function loadIn(env: Record<string, string>): { xrayLoaded: boolean; tracing: boolean } {
  const script = `
    import { createRequire } from 'node:module';
    const { tracer } = await import(${JSON.stringify(observability)});
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('aws-xray-sdk-core'));
    process.stdout.write(JSON.stringify({ xrayLoaded: loaded, tracing: tracer.isTracingEnabled() }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { xrayLoaded: boolean; tracing: boolean };
}

describe('the tracer', () => {
  it('follows Powertools Tracer: on in a Lambda execution environment only', () => {
    expect(tracingEnabledByEnvironment({})).toBe(false);
    expect(tracingEnabledByEnvironment({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(tracingEnabledByEnvironment({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingEnabledByEnvironment({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingEnabledByEnvironment({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
    // Here (vitest, not Lambda) the disabled stand-in is used.
    expect(tracer).toBe(disabledTracer);
    const client = { send: () => undefined };
    expect(tracer.captureAWSv3Client(client)).toBe(client);
  });

  it('does not load aws-xray-sdk-core outside Lambda, and is Powertools Tracer in Lambda', { timeout: 60_000 }, () => {
    expect(loadIn({})).toEqual({ xrayLoaded: false, tracing: false });
    expect(loadIn({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toEqual({ xrayLoaded: true, tracing: true });
  });
});
