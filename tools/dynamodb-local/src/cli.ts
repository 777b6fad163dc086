#!/usr/bin/env -S npx tsx
// Runs DynamoDB Local by itself with the orderflow table, for seeding and poking around:
//   npm start -w @orderflow/dynamodb-local -- [--port 8000] [--data .data/dynamodb | --in-memory] [--table orderflow]
import '@orderflow/workspace/quiet-aws-sdk';
import { parseArgs } from 'node:util';
import { JavaNotFoundError } from './java';
import { startDynamoDbLocal } from './launcher';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    data: { type: 'string' },
    'in-memory': { type: 'boolean', default: false },
    table: { type: 'string', default: 'orderflow' },
  },
});

try {
  const dynamo = await startDynamoDbLocal({
    // --port 0 picks a free port, as elsewhere in the project.
    ...(Number(values.port) === 0 ? {} : { port: Number(values.port) }),
    ...(values['in-memory'] ? {} : { dataDir: values.data ?? '.data/dynamodb' }),
    tableName: values.table,
    onProgress: (m) => console.log(m),
  });
  console.log(`DynamoDB Local ready on ${dynamo.endpoint} (table ${values.table}); Ctrl-C stops it`);
  const shutdown = () => {
    void dynamo.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof JavaNotFoundError ? error.message : `could not start DynamoDB Local: ${(error as Error).message}`);
  process.exit(1);
}
