import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './launcher';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/**
 * Vitest global setup: one DynamoDB Local (in memory) for a test run. DYNAMODB_ENDPOINT
 * reuses one that is already running (handy while iterating).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Global setup runs in the main Vitest process, which `test.env` does not reach.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const existing = process.env['DYNAMODB_ENDPOINT'];
  if (existing) {
    project.provide('dynamoEndpoint', existing);
    return async () => undefined;
  }
  const dynamo = await startDynamoDbLocal({ onProgress: (m) => console.log(`[dynamodb-local] ${m}`) });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
