import { orderflowVitestConfig } from '@orderflow/testing';

export default orderflowVitestConfig({ testTimeout: 60_000 });
