import { describe, expect, it } from 'vitest';
import { comparableStartup, readmeStartupSample, startupLines } from './startup-sample';

describe("the README's start-up sample", () => {
  const first = [
    '[1.34s ] load       modules loaded (1341ms)',
    '[5.73s ] dynamodb   DynamoDB Local on http://127.0.0.1:44353 (data in /work/main/.data/dynamodb) (4.33s)',
    '[1.49s ] synth      136 resources from apps/infra (cached: sources unchanged since the last synth) (11ms)',
    '[6.26s ] ready      in 6.26s · executions and the workflow graph at http://localhost:3000/_local/',
    'orderflow ready on http://localhost:3000',
  ];
  const second = [
    '[2.74s ] load       modules loaded (2736ms)',
    '[13.65s] synth      136 resources from apps/infra (cdk synth, no bundling) (13.07s)',
    '[10.06s] dynamodb   DynamoDB Local on http://127.0.0.1:35881 (in memory) (7.23s)',
    '[15.51s] ready      in 15.51s · executions and the workflow graph at http://localhost:36999/_local/',
    'orderflow ready on http://localhost:36999',
  ];

  it('compares starts step by step whatever the order, times, ports, folders and cache aside', () => {
    expect(comparableStartup(first)).toEqual(comparableStartup(second.map((l) => l.replace('(in memory)', '(data in /tmp/x)'))));
  });

  it("sets the storefront's size aside (it changes with every edit of the shop)", () => {
    const built = (size: string) => [`[3.10s ] storefront apps/storefront (cached: sources unchanged), ${size} of JS and CSS (2ms)`];
    expect(comparableStartup(built('39.9 KiB'))).toEqual(comparableStartup(built('41.2 KiB')));
    const fresh = ['[5.10s ] storefront apps/storefront (built with Vite), 39.9 KiB of JS and CSS (2.00s)'];
    expect(comparableStartup(built('39.9 KiB'))).toEqual(comparableStartup(fresh));
  });

  it('still sees what a start says: a count, a step more or less', () => {
    expect(comparableStartup(first)).not.toEqual(comparableStartup(second.map((l) => l.replace('136 resources', '175 resources'))));
    expect(comparableStartup(first)).not.toEqual(comparableStartup(first.slice(1)));
  });

  it('is the block after "$ npm start" in the README, and the step lines of stdout', () => {
    expect(readmeStartupSample(['intro', '```', '$ npm start -- --in-memory', ...first, '```', 'after'].join('\n'))).toEqual(first);
    expect(startupLines(['noise', ...first, '06:04:27.092 events   Scheduled Event -> x delivered'].join('\n'))).toEqual(first);
  });
});
