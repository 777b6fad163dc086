// Prints the conformance report (every failing case with the reason): `npm run conformance`.
import { formatHistoryMismatches, formatSummary, loadCases, locateConformanceDir, runAll } from '../src/conformance-harness';

const dir = locateConformanceDir();
if (!dir) {
  console.log('No conformance corpus found (set ASL_CONFORMANCE_DIR or place it at <workspace>/../shared/conformance).');
  process.exit(0);
}
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
const cases = loadCases(dir).filter((c) => !filter || c.id.includes(filter));
const summary = await runAll(cases);
console.log(formatSummary(summary));
if (process.argv.includes('--history')) console.log(formatHistoryMismatches(summary));
