import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../test/template-fixture';
import { ensureTableFromTemplate, tableDifferences, TableTemplateError, tableFromTemplate } from './table';

describe('tableFromTemplate', () => {
  it("turns the table resource's CloudFormation properties into CreateTable", () => {
    const table = tableFromTemplate(fixtureTemplate(), 'orderflow');
    expect(table.logicalId).toBe('Table');
    expect(table.createTable).toEqual({
      TableName: 'orderflow',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    expect(table.timeToLiveAttribute).toBe('expiresAt');
    expect(table.ignored).toEqual(['PointInTimeRecoverySpecification']);
  });

  it('gives provisioned tables and their indexes a throughput, and streams a view type', () => {
    const template = fixtureTemplate();
    const props = template.Resources['Table']?.Properties as Record<string, unknown>;
    delete props['BillingMode'];
    props['ProvisionedThroughput'] = { ReadCapacityUnits: 3, WriteCapacityUnits: 4 };
    props['StreamSpecification'] = { StreamViewType: 'NEW_IMAGE' };
    const { createTable } = tableFromTemplate(template, 't');
    expect(createTable.BillingMode).toBe('PROVISIONED');
    expect(createTable.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    expect(createTable.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    expect(createTable.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  });

  it('refuses what it cannot create faithfully', () => {
    const template = fixtureTemplate();
    (template.Resources['Table']?.Properties as Record<string, unknown>)['SomethingNew'] = true;
    expect(() => tableFromTemplate(template, 't')).toThrow(/unsupported table properties SomethingNew/);
    const none = fixtureTemplate();
    delete none.Resources['Table'];
    expect(() => tableFromTemplate(none, 't')).toThrow(TableTemplateError);
  });

  it('names what differs between an existing table and the template', () => {
    const { createTable } = tableFromTemplate(fixtureTemplate(), 't');
    expect(tableDifferences(createTable, { KeySchema: createTable.KeySchema, GlobalSecondaryIndexes: createTable.GlobalSecondaryIndexes })).toEqual([]);
    expect(
      tableDifferences(createTable, {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'GSI9', KeySchema: [] }],
      }),
    ).toEqual(['key schema id:HASH (template: PK:HASH,SK:RANGE)', 'index GSI1 missing', 'index GSI9 not in the template']);
  });
});

describe('ensureTableFromTemplate on DynamoDB Local', () => {
  // The run's DynamoDB Local (createTestTable's table is only the way to reach it).
  let reach: TestTable;
  beforeAll(async () => {
    reach = await createTestTable('local-reach');
  });
  afterAll(() => reach.drop());

  it('creates the table with its index and TTL, and leaves it alone the second time', async () => {
    const client = reach.client;
    const name = `local-table-${Date.now()}`;
    const table = tableFromTemplate(fixtureTemplate(), name);
    expect(await ensureTableFromTemplate(client, table)).toEqual({ outcome: 'created' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['GSI1']);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    expect(await ensureTableFromTemplate(client, table)).toEqual({ outcome: 'exists', differences: [] });
  });
});
