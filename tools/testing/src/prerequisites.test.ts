import { describe, expect, it } from 'vitest';
import { chromiumPath, missingPrerequisites } from './prerequisites';

describe('prerequisites', () => {
  it('names each missing one with what installs it, in one line', () => {
    const lines = missingPrerequisites([
      { name: 'Here', present: () => true, install: 'nothing' },
      { name: 'Java 17+ (DynamoDB Local)', present: () => false, install: 'sudo apt-get install -y openjdk-17-jre-headless' },
    ]);
    expect(lines).toEqual(['missing Java 17+ (DynamoDB Local): sudo apt-get install -y openjdk-17-jre-headless']);
  });

  it('finds Chromium where CHROMIUM_PATH says, else /usr/bin/chromium', () => {
    const saved = process.env['CHROMIUM_PATH'];
    process.env['CHROMIUM_PATH'] = '/opt/chromium/chrome';
    expect(chromiumPath()).toBe('/opt/chromium/chrome');
    delete process.env['CHROMIUM_PATH'];
    expect(chromiumPath()).toBe('/usr/bin/chromium');
    if (saved !== undefined) process.env['CHROMIUM_PATH'] = saved;
  });
});
