import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { processSingleton } from './lifecycle';
import { processAwsClient } from './sdk-client';

/** The process's DynamoDB client (traced in Lambda), on AWS_ENDPOINT_URL_DYNAMODB when set. */
export const dynamoDb = processAwsClient((config) => new DynamoDBClient(config), (environment) => environment.dynamoDbEndpoint);

/** The document client the repositories use (plain JavaScript values, undefined attributes dropped). */
export const documentClient = processSingleton(() =>
  DynamoDBDocumentClient.from(dynamoDb(), { marshallOptions: { removeUndefinedValues: true } }),
);
