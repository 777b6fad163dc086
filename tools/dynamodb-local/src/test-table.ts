import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localClientConfig } from './client-config';
import { deleteTable, ensureTable } from './table';

export interface TestTable {
  tableName: string;
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

/** A fresh orderflow table on the run's DynamoDB Local, so test files never share data. */
export async function createTestTable(prefix = 'test'): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  await ensureTable(client, tableName);
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    tableName,
    endpoint,
    client,
    documentClient,
    drop: async () => {
      await deleteTable(client, tableName);
      client.destroy();
    },
  };
}
