import { orderflowVitestConfig } from '@orderflow/testing';

// DynamoDB Local for the replay tests; the driver's test starts its own stack (npm start).
export default orderflowVitestConfig({ dynamodb: true, testTimeout: 240_000 });
