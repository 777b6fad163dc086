// Prints the conformance report (every failing case with the reason): `npm run conformance`.
import { formatSummary, loadCases, locateConformanceDir, runAll } from '../src/conformance-harness';

const dir = locateConformanceDir();
if (!dir) {
  console.log('No conformance corpus found (set ASL_CONFORMANCE_DIR or place it at <workspace>/../shared/conformance).');
  process.exit(0);
}
const filter = process.argv[2];
const cases = loadCases(dir).filter((c) => !filter || c.id.includes(filter));
const summary = await runAll(cases);
console.log(formatSummary(summary));
