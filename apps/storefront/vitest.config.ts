import { orderflowVitestConfig } from '@orderflow/testing';

export default orderflowVitestConfig();
