import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type CloudFormationTemplate, resourcesOfType } from '@orderflow/local-aws';


/**
 * The table of the synthesized template, created on DynamoDB Local: its CloudFormation
 * properties (AWS::DynamoDB::Table) turned into CreateTable and UpdateTimeToLive calls.
 * Properties DynamoDB Local has no use for (point-in-time recovery, encryption, tags,
 * deletion protection, contributor insights) are listed as ignored, never silently lost.
 */

export class TableTemplateError extends Error {
  override name = 'TableTemplateError';
}

export interface TableFromTemplate {
  logicalId: string;
  createTable: CreateTableCommandInput;
  timeToLiveAttribute: string | undefined;
  /** Properties of the resource that have no local effect. */
  ignored: string[];
}

const IGNORED_LOCALLY = new Set([
  'PointInTimeRecoverySpecification',
  'SSESpecification',
  'Tags',
  'DeletionProtectionEnabled',
  'ContributorInsightsSpecification',
  'TableClass',
  'KinesisStreamSpecification',
  'ResourcePolicy',
  'ImportSourceSpecification',
  'OnDemandThroughput',
  'WarmThroughput',
]);

const HANDLED = new Set([
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'BillingMode',
  'ProvisionedThroughput',
  'StreamSpecification',
  'TimeToLiveSpecification',
]);

/** The one table of the template, as CreateTable input named `tableName`. */
export function tableFromTemplate(template: CloudFormationTemplate, tableName: string): TableFromTemplate {
  const ids = resourcesOfType(template, 'AWS::DynamoDB::Table');
  const [logicalId] = ids;
  if (ids.length !== 1 || logicalId === undefined) {
    throw new TableTemplateError(`expected one AWS::DynamoDB::Table in the template, found ${ids.length}`);
  }
  const properties = template.Resources[logicalId]?.Properties ?? {};
  const unknown = Object.keys(properties).filter((key) => !HANDLED.has(key) && !IGNORED_LOCALLY.has(key));
  if (unknown.length > 0) throw new TableTemplateError(`${logicalId}: unsupported table properties ${unknown.join(', ')}`);

  const billingMode = (properties['BillingMode'] as string | undefined) ?? 'PROVISIONED';
  const throughput = (value: unknown) => {
    const t = value as { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;
    return { ReadCapacityUnits: Number(t?.ReadCapacityUnits ?? 5), WriteCapacityUnits: Number(t?.WriteCapacityUnits ?? 5) };
  };
  const createTable: CreateTableCommandInput = {
    TableName: tableName,
    AttributeDefinitions: array<AttributeDefinition>(properties['AttributeDefinitions'], `${logicalId}.AttributeDefinitions`),
    KeySchema: array<KeySchemaElement>(properties['KeySchema'], `${logicalId}.KeySchema`),
    BillingMode: billingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
  };
  if (billingMode !== 'PAY_PER_REQUEST') createTable.ProvisionedThroughput = throughput(properties['ProvisionedThroughput']);
  const gsis = properties['GlobalSecondaryIndexes'];
  if (gsis !== undefined) {
    createTable.GlobalSecondaryIndexes = array<Record<string, unknown>>(gsis, `${logicalId}.GlobalSecondaryIndexes`).map(
      (gsi): GlobalSecondaryIndex => ({
        IndexName: String(gsi['IndexName']),
        KeySchema: gsi['KeySchema'] as KeySchemaElement[],
        Projection: gsi['Projection'] as GlobalSecondaryIndex['Projection'],
        ...(billingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: throughput(gsi['ProvisionedThroughput']) }),
      }),
    );
  }
  const lsis = properties['LocalSecondaryIndexes'];
  if (lsis !== undefined) {
    createTable.LocalSecondaryIndexes = array<Record<string, unknown>>(lsis, `${logicalId}.LocalSecondaryIndexes`).map(
      (lsi): LocalSecondaryIndex => ({
        IndexName: String(lsi['IndexName']),
        KeySchema: lsi['KeySchema'] as KeySchemaElement[],
        Projection: lsi['Projection'] as LocalSecondaryIndex['Projection'],
      }),
    );
  }
  const stream = properties['StreamSpecification'] as { StreamViewType?: string } | undefined;
  if (stream?.StreamViewType) {
    createTable.StreamSpecification = {
      StreamEnabled: true,
      StreamViewType: stream.StreamViewType as NonNullable<CreateTableCommandInput['StreamSpecification']>['StreamViewType'],
    };
  }
  const ttl = properties['TimeToLiveSpecification'] as { AttributeName?: string; Enabled?: boolean } | undefined;
  return {
    logicalId,
    createTable,
    timeToLiveAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
    ignored: Object.keys(properties).filter((key) => IGNORED_LOCALLY.has(key)),
  };
}

function array<T>(value: unknown, what: string): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new TableTemplateError(`${what} must be a non-empty list`);
  return value as T[];
}

export type EnsureTableOutcome = { outcome: 'created' } | { outcome: 'exists'; differences: string[] };

/**
 * Creates the table (and its TTL) unless it exists. An existing table (kept in the data
 * folder from an earlier start) is compared with the template: keys and indexes that differ
 * are reported, since DynamoDB cannot change them in place.
 */
export async function ensureTableFromTemplate(client: DynamoDBClient, table: TableFromTemplate): Promise<EnsureTableOutcome> {
  const name = table.createTable.TableName as string;
  try {
    await client.send(new CreateTableCommand(table.createTable));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table: existing } = await client.send(new DescribeTableCommand({ TableName: name }));
    return { outcome: 'exists', differences: tableDifferences(table.createTable, existing ?? {}) };
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 }, { TableName: name });
  if (table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return { outcome: 'created' };
}

const keyText = (keys: KeySchemaElement[] | undefined) => (keys ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');

/** What differs between the wanted table and an existing one (keys, index names and keys). */
export function tableDifferences(
  wanted: CreateTableCommandInput,
  existing: { KeySchema?: KeySchemaElement[]; GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeySchemaElement[] }[] },
): string[] {
  const differences: string[] = [];
  if (keyText(wanted.KeySchema) !== keyText(existing.KeySchema)) {
    differences.push(`key schema ${keyText(existing.KeySchema)} (template: ${keyText(wanted.KeySchema)})`);
  }
  const have = new Map((existing.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, keyText(g.KeySchema)]));
  for (const gsi of wanted.GlobalSecondaryIndexes ?? []) {
    const found = have.get(gsi.IndexName);
    if (found === undefined) differences.push(`index ${gsi.IndexName} missing`);
    else if (found !== keyText(gsi.KeySchema)) differences.push(`index ${gsi.IndexName} keys ${found} (template: ${keyText(gsi.KeySchema)})`);
    have.delete(gsi.IndexName);
  }
  for (const extra of have.keys()) differences.push(`index ${extra} not in the template`);
  return differences;
}
