import { describe, expect, it } from 'vitest';
import { parseCliOptions, UsageError } from './cli-options';
import { SCENARIOS } from './scenarios';

describe('parseCliOptions', () => {
  it('defaults to the stages against a stack of its own', () => {
    expect(parseCliOptions(['--scenario', 'checkout'])).toEqual({
      scenario: SCENARIOS.checkout,
      baseUrl: undefined,
      connections: undefined,
      durationSeconds: 20,
      warmupSeconds: 5,
      ceiling: false,
      account: false,
      profile: undefined,
      json: undefined,
    });
  });

  it('takes levels of concurrent clients, durations, a target and outputs', () => {
    expect(
      parseCliOptions(['--scenario', 'reads', '--connections', '1,10,50', '--duration', '1m', '--warmup', '0', '--base-url', 'http://localhost:3000/', '--json', 'out.json']),
    ).toMatchObject({ scenario: SCENARIOS.reads, connections: [1, 10, 50], durationSeconds: 60, warmupSeconds: 0, baseUrl: 'http://localhost:3000', json: 'out.json' });
    expect(parseCliOptions(['--help'])).toBe('help');
  });

  it('refuses what it cannot do, saying why', () => {
    const refuse = (args: string[], message: RegExp) => {
      expect(() => parseCliOptions(args)).toThrow(UsageError);
      expect(() => parseCliOptions(args)).toThrow(message);
    };
    refuse([], /--scenario is required/);
    refuse(['--scenario', 'writes'], /checkout or reads/);
    refuse(['--scenario', 'checkout', '--connections', '0'], /whole numbers from 1/);
    refuse(['--scenario', 'checkout', '--connections', '10', '--stages'], /exclude each other/);
    refuse(['--scenario', 'checkout', '--duration', 'ten'], /--duration/);
    refuse(['--scenario', 'checkout', '--base-url', 'nope'], /not a URL/);
    refuse(['--scenario', 'checkout', '--base-url', 'http://x', '--profile', 'p.cpuprofile'], /--profile needs/);
    refuse(['--scenario', 'checkout', '--bogus'], /bogus/);
  });
});
