import { spawnSync } from 'node:child_process';

export const MIN_JAVA_MAJOR = 17;

export const JAVA_INSTALL_HINT =
  `DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run again.`;

export class JavaNotFoundError extends Error {
  override name = 'JavaNotFoundError';
  constructor(found?: string) {
    super(found ? `${JAVA_INSTALL_HINT} (found ${found})` : JAVA_INSTALL_HINT);
  }
}

/** Parses the major version from `java -version` output ("17.0.15", "1.8.0_392", "21"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Returns the java command to use, or throws JavaNotFoundError with a one-line install hint. */
export function checkJava(java: string = process.env['JAVA'] ?? 'java'): string {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new JavaNotFoundError();
  const output = `${result.stderr}${result.stdout}`;
  const major = parseJavaMajor(output);
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new JavaNotFoundError(output.split('\n')[0]?.trim());
  }
  return java;
}
