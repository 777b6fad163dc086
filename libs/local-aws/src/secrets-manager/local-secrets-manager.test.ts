import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSecretsManager, startLocalSecretsManager } from './local-secrets-manager';

describe('local Secrets Manager', () => {
  let secrets: LocalSecretsManager;
  let client: SecretsManagerClient;
  const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:orderflow/local/Payments-local';

  beforeAll(async () => {
    secrets = await startLocalSecretsManager([{ arn, name: 'orderflow/local/Payments', value: '{"STRIPE_SECRET_KEY":"sk_test_x"}' }]);
    client = new SecretsManagerClient({ endpoint: secrets.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await secrets.stop();
  });

  it('answers GetSecretValue by ARN or name through the real AWS SDK', async () => {
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(byArn).toMatchObject({ ARN: arn, Name: 'orderflow/local/Payments', SecretString: '{"STRIPE_SECRET_KEY":"sk_test_x"}', VersionStages: ['AWSCURRENT'] });
    expect(byArn.CreatedDate).toBeInstanceOf(Date);
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'orderflow/local/Payments' }));
    expect(byName.VersionId).toBe(byArn.VersionId);
    expect(secrets.reads()).toEqual({ [arn]: 2 });
  });

  it("answers an unknown secret with Secrets Manager's ResourceNotFoundException", async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
