import { orderflowVitestConfig } from '@orderflow/testing';

// DynamoDB Local backs the dynamodb:* integration tests.
export default orderflowVitestConfig({ dynamodb: true });
