/** SDK client settings for DynamoDB Local: it accepts any credentials, the SDK needs some. */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
