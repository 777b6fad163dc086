import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';
import { withoutSdkLogging } from './sdk-client';

/** The process's DynamoDB client (traced in Lambda), on AWS_ENDPOINT_URL_DYNAMODB when set. */
export const dynamoDb = processSingleton(
  () => {
    const environment = apiEnvironment();
    return tracer.captureAWSv3Client(
      withoutSdkLogging(
        new DynamoDBClient({
          region: environment.region,
          ...(environment.dynamoDbEndpoint ? { endpoint: environment.dynamoDbEndpoint } : {}),
        }),
      ),
    );
  },
  (client) => client.destroy(),
);

/** The document client the repositories use (plain JavaScript values, undefined attributes dropped). */
export const documentClient = processSingleton(() =>
  DynamoDBDocumentClient.from(dynamoDb(), { marshallOptions: { removeUndefinedValues: true } }),
);
