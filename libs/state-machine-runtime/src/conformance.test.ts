/**
 * Runs every case of the conformance corpus recorded against AWS Step Functions
 * (`<workspace>/../shared/conformance`, or ASL_CONFORMANCE_DIR) and compares with the corpus's
 * rules (its README). Prints the pass counts per query language and the failing ids.
 */
import { describe, expect, it } from 'vitest';
import { formatSummary, loadCases, locateConformanceDir, runAll, type ConformanceSummary } from './conformance-harness';

const dir = locateConformanceDir();

describe.skipIf(!dir)('ASL conformance corpus (recorded against AWS)', () => {
  it('passes at least 95% of the JSONata cases and 90% of all cases', async () => {
    const cases = loadCases(dir as string);
    expect(cases.length).toBeGreaterThan(0);
    const summary: ConformanceSummary = await runAll(cases);
    console.log(formatSummary(summary));
    const jsonata = summary.byLanguage['JSONata'] ?? { total: 0, passed: 0 };
    expect(jsonata.total).toBeGreaterThan(0);
    expect(jsonata.passed / jsonata.total).toBeGreaterThanOrEqual(0.95);
    expect(summary.passed / summary.total).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});

if (!dir) {
  console.log(
    'ASL conformance corpus not found: set ASL_CONFORMANCE_DIR or place it at <workspace>/../shared/conformance. The conformance test is skipped.',
  );
}
