import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InProcessFunction, TemplateFunction } from '@orderflow/local-aws';

import type { LambdaHandler } from '@orderflow/state-machine-runtime';

/**
 * The template's Lambda functions, run in this process: each handler is loaded from the
 * source file its `orderflow:handler` metadata names (apps/api), with the environment
 * variables the template gives it, and invoked with @orderflow/local-aws's `invokeFunction`
 * (the one in-process invoker, as the Lambda runtime runs a handler).
 */

/** A template function loaded in this process: what `invokeFunction` (@orderflow/local-aws) runs. */
export interface LocalFunction extends TemplateFunction, InProcessFunction {
  memorySizeMB: number;
}

export class FunctionConfigurationError extends Error {
  override name = 'FunctionConfigurationError';
}

/**
 * Every function's environment is applied to this one process (apps/api reads its settings
 * from process.env once per process, as a Lambda execution environment does). That is only
 * faithful if the functions agree on every variable they share: checked here.
 */
export function mergeFunctionEnvironments(functions: Pick<TemplateFunction, 'logicalId' | 'environment'>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      if (name in merged && merged[name] !== value) {
        throw new FunctionConfigurationError(
          `${fn.logicalId} and ${owner[name]} set ${name} to different values; one process cannot run both as configured`,
        );
      }
      merged[name] = value;
      owner[name] = fn.logicalId;
    }
  }
  return merged;
}

/** Imports each function's handler from its source file (relative to the repository root). */
export async function loadFunctions<T extends TemplateFunction & { memorySizeMB?: number }>(
  root: string,
  functions: T[],
): Promise<(T & LocalFunction)[]> {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  return Promise.all(
    functions.map(async (fn) => {
      const file = join(root, fn.handlerFile);
      let loading = modules.get(file);
      if (!loading) {
        loading = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
        modules.set(file, loading);
      }
      let module: Record<string, unknown>;
      try {
        module = await loading;
      } catch (error) {
        throw new FunctionConfigurationError(`${fn.logicalId}: cannot load ${fn.handlerFile}: ${(error as Error).message}`);
      }
      const handler = module[fn.handlerExport];
      if (typeof handler !== 'function') {
        throw new FunctionConfigurationError(`${fn.logicalId}: ${fn.handlerFile} exports no function ${fn.handlerExport}`);
      }
      return { ...fn, name: fn.logicalId, memorySizeMB: fn.memorySizeMB ?? 128, handler: handler as LambdaHandler };
    }),
  );
}
