import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
export { childSurvivesKilledParent, isProcessAlive, startParentOfChild } from './processes';
export { CHROMIUM, chromiumPath, missingPrerequisites, PREREQUISITES, type Prerequisite } from './prerequisites';

// A path, not an import: this package must depend on no project (see package.json).
const toolsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dynamodbGlobalSetup = join(toolsDir, 'dynamodb-local', 'src', 'vitest-global-setup.ts');

export interface OrderflowTestOptions {
  /** Start one DynamoDB Local for the run (tests reach it with createTestTable()). */
  dynamodb?: boolean;
  /** Extra global setup modules (absolute paths). */
  globalSetup?: string[];
  testTimeout?: number;
}

/** The Vitest configuration every project uses: unit tests and *.int.test.ts beside the code. */
export function orderflowVitestConfig(options: OrderflowTestOptions = {}): ViteUserConfig {
  const globalSetup = [
    ...(options.dynamodb ? [dynamodbGlobalSetup] : []),
    ...(options.globalSetup ?? []),
  ];
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 120_000,
      globalSetup,
      env: {
        // The Lambdas run on Node 22 in AWS; the SDK's notice about Node 20 is noise here.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  });
}
