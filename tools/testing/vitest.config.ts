import { orderflowVitestConfig } from './src/index';

export default orderflowVitestConfig({ testTimeout: 120_000 });
