import { fileURLToPath } from 'node:url';
import { orderflowVitestConfig } from '@orderflow/testing';
import { mergeConfig } from 'vitest/config';

const fake = (name: string) => fileURLToPath(new URL(`./src/test/k6/${name}.ts`, import.meta.url));

// DynamoDB Local for the replay tests; the CLI's test starts its own stack (npm start).
// The k6 scripts' tests run them against a stand-in of k6's modules (src/test/k6).
export default mergeConfig(orderflowVitestConfig({ dynamodb: true, testTimeout: 240_000 }), {
  resolve: {
    alias: [
      { find: /^k6\/http$/, replacement: fake('http') },
      { find: /^k6\/metrics$/, replacement: fake('metrics') },
      { find: /^k6\/execution$/, replacement: fake('execution') },
    ],
  },
});
