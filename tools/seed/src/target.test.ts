import { describe, expect, it } from 'vitest';
import { resolveTarget, TargetError } from './target';

describe('resolveTarget', () => {
  it('defaults to DynamoDB Local on 127.0.0.1:8000, table orderflow, with dummy credentials', () => {
    expect(resolveTarget({}, {})).toEqual({
      tableName: 'orderflow',
      endpoint: 'http://127.0.0.1:8000',
      region: 'us-east-1',
      localCredentials: true,
      description: 'table orderflow at http://127.0.0.1:8000',
    });
  });

  it('uses the AWS table and the credential chain with --region and no --endpoint', () => {
    expect(resolveTarget({ region: 'eu-west-1', table: 'orderflow-prod' }, {})).toMatchObject({
      endpoint: undefined,
      region: 'eu-west-1',
      localCredentials: false,
      description: 'AWS table orderflow-prod in eu-west-1',
    });
    expect(resolveTarget({ aws: true }, { AWS_REGION: 'us-west-2' })).toMatchObject({ endpoint: undefined, region: 'us-west-2' });
    expect(() => resolveTarget({ aws: true }, {})).toThrow(TargetError);
  });

  it('takes --endpoint as given; a remote one needs a region and real credentials', () => {
    expect(resolveTarget({ endpoint: 'http://localhost:4566' }, {})).toMatchObject({ localCredentials: true });
    expect(resolveTarget({ endpoint: 'http://localhost:4566' }, { AWS_PROFILE: 'dev' })).toMatchObject({ localCredentials: false });
    expect(resolveTarget({ endpoint: 'https://dynamodb.example.com', region: 'us-east-1' }, {})).toMatchObject({ localCredentials: false });
    expect(() => resolveTarget({ endpoint: 'https://dynamodb.example.com' }, {})).toThrow(/no AWS region/);
    expect(() => resolveTarget({ endpoint: 'not a url' }, {})).toThrow(/is not a URL/);
  });
});
