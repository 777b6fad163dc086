import { orderflowVitestConfig } from '@orderflow/testing';
import { mergeConfig } from 'vitest/config';

// Handlers log JSON through Powertools; keep test output readable (set POWERTOOLS_LOG_LEVEL to see them).
export default mergeConfig(orderflowVitestConfig({ dynamodb: true }), {
  test: { env: { POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'SILENT' } },
});
