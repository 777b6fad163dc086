#!/usr/bin/env node
// `npm test`'s pretest: says in one line per missing prerequisite what to install, and stops.
// Java is asked of DynamoDB Local's own check (by path: this package depends on no project).
import { register } from 'tsx/esm/api';

register();
const { missingPrerequisites, PREREQUISITES } = await import('../src/prerequisites.ts');
const { checkJava, JavaNotFoundError } = await import(new URL('../../dynamodb-local/src/java.ts', import.meta.url).href);
const java = {
  name: 'Java 17+ (DynamoDB Local)',
  present: () => {
    try {
      checkJava();
      return true;
    } catch (error) {
      if (error instanceof JavaNotFoundError) return false;
      throw error;
    }
  },
  install: 'sudo apt-get install -y openjdk-17-jre-headless',
};
const missing = missingPrerequisites([java, ...PREREQUISITES]);
for (const line of missing) console.error(line);
process.exitCode = missing.length > 0 ? 1 : 0;
