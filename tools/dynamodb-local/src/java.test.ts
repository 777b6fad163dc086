import { describe, expect, it } from 'vitest';
import { checkJava, JavaNotFoundError, parseJavaMajor } from './java';

describe('java check', () => {
  it('reads the major version of old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('nothing here')).toBeUndefined();
  });

  it('explains in one line what to install when java is missing', () => {
    let caught: unknown;
    try {
      checkJava('/nonexistent/java');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JavaNotFoundError);
    const message = (caught as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/Java 17\+.*apt-get install -y openjdk-17-jre-headless/);
  });
});
