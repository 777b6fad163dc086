import { existsSync } from 'node:fs';

/**
 * What the tests need that npm cannot install — Java 17+ for DynamoDB Local, Chromium for the
 * browser tests — checked before `npm test` runs anything (its `pretest`), each missing one named
 * in one line with the command that installs it.
 */

export interface Prerequisite {
  name: string;
  present: () => boolean;
  install: string;
}

/** Where the browser tests find Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/** Chromium; Java is checked by DynamoDB Local's launcher (check-prerequisites.mjs asks it). */
export const CHROMIUM: Prerequisite = {
  name: 'Chromium (the browser tests)',
  present: () => existsSync(chromiumPath()),
  install: 'sudo apt-get install -y chromium (or set CHROMIUM_PATH)',
};

export const PREREQUISITES: readonly Prerequisite[] = [CHROMIUM];

/** One line per missing prerequisite; empty when everything is there. */
export function missingPrerequisites(prerequisites: readonly Prerequisite[] = PREREQUISITES): string[] {
  return prerequisites.filter((p) => !p.present()).map((p) => `missing ${p.name}: ${p.install}`);
}
