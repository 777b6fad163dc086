import { describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../test/template-fixture';
import { functionSpecsFromTemplate, localResourceNames } from '../template/local-resources';
import { invokeFunction } from '@orderflow/local-aws';
import { FunctionConfigurationError, loadFunctions, mergeFunctionEnvironments } from './local-functions';
import { workspaceRoot } from '@orderflow/dynamodb-local';


describe('mergeFunctionEnvironments', () => {
  it('merges what the functions agree on and refuses a conflict, naming both functions', () => {
    expect(
      mergeFunctionEnvironments([
        { logicalId: 'A', environment: { TABLE_NAME: 't', X: '1' } },
        { logicalId: 'B', environment: { TABLE_NAME: 't', Y: '2' } },
      ]),
    ).toEqual({ TABLE_NAME: 't', X: '1', Y: '2' });
    expect(() =>
      mergeFunctionEnvironments([
        { logicalId: 'A', environment: { TABLE_NAME: 't' } },
        { logicalId: 'B', environment: { TABLE_NAME: 'u' } },
      ]),
    ).toThrow(/B and A set TABLE_NAME to different values/);
  });
});

describe('loadFunctions', () => {
  const template = fixtureTemplate();
  const specs = functionSpecsFromTemplate(template, localResourceNames(template));

  it("imports each handler from the file its metadata names", async () => {
    const loaded = await loadFunctions(workspaceRoot(), specs);
    expect(loaded.map((f) => f.logicalId)).toEqual(['GetThingFunction', 'ConsumeFunction', 'JobFunction']);
    const outcome = await invokeFunction(loaded[1] as (typeof loaded)[number], {}, { region: 'us-east-1', accountId: '000000000000' });
    expect(outcome.result).toEqual({ consumed: true });
  });

  it('names the function when its handler cannot be found', async () => {
    const missingExport = specs.map((s) => ({ ...s, handlerExport: 'notAFunction' }));
    await expect(loadFunctions(workspaceRoot(), missingExport)).rejects.toThrow(/GetThingFunction: .* exports no function notAFunction/);
    const missingFile = specs.map((s) => ({ ...s, handlerFile: 'apps/local/src/test/nope.ts' }));
    await expect(loadFunctions(workspaceRoot(), missingFile)).rejects.toThrow(FunctionConfigurationError);
  });
});
