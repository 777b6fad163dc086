import { describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../test/template-fixture';
import { busRulesFromTemplate, functionSpecsFromTemplate, LOCAL_TABLE_NAME, localResourceNames, scheduledRulesForBus } from './local-resources';

describe('local resources of a template', () => {
  const template = fixtureTemplate();
  const names = localResourceNames(template);

  it('gives the table, the bus and each secret a local name', () => {
    expect(names.tableName).toBe(LOCAL_TABLE_NAME);
    expect(names.busName).toBe('orderflow');
    expect(names.refs).toMatchObject({ Table: 'orderflow', Bus: 'orderflow', Secret: names.secrets[0]?.arn });
    expect(names.secrets[0]?.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:orderflow\/local\/Secret-local$/);
  });

  it("reads each function's handler, environment (resolved), memory, dead-letter queue and async retries", () => {
    const specs = functionSpecsFromTemplate(template, names);
    expect(specs.map((s) => [s.logicalId, s.handlerFile, s.handlerExport, s.timeoutSeconds, s.memorySizeMB])).toEqual([
      ['GetThingFunction', 'apps/local/src/test/fixture-handlers.ts', 'getThing', 5, 256],
      ['ConsumeFunction', 'apps/local/src/test/fixture-handlers.ts', 'consume', 10, 128],
      ['JobFunction', 'apps/local/src/test/fixture-handlers.ts', 'consume', 60, 128],
    ]);
    expect(specs[0]?.environment).toEqual({ TABLE_NAME: 'orderflow', POWERTOOLS_SERVICE_NAME: 'orderflow' });
    expect(specs[1]?.environment['PAYMENT_SECRETS_ARN']).toBe(names.secrets[0]?.arn);
    expect(specs[0]?.asyncMaximumRetryAttempts).toBe(2);
    expect(specs[1]?.asyncMaximumRetryAttempts).toBe(1);
    expect(specs[1]?.deadLetterArn).toBe('arn:aws:local:us-east-1:000000000000:Failures');
  });

  it("reads the rules' patterns, targets, retry policies and dead-letter queues", () => {
    expect(busRulesFromTemplate(template, names)).toEqual([
      {
        name: 'ConsumeRule',
        eventBusName: 'orderflow',
        eventPattern: { source: ['orderflow.orders'], 'detail-type': ['OrderPlaced'] },
        enabled: true,
        targets: [
          {
            id: 'Target0',
            arn: 'arn:aws:lambda:us-east-1:000000000000:function:ConsumeFunction',
            retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 7200 },
            deadLetterArn: 'arn:aws:local:us-east-1:000000000000:RuleDeadLetters',
          },
        ],
      },
    ]);
  });

  it('reads scheduled rules with their period and targets (and leaves them out of the pattern rules)', () => {
    expect(scheduledRulesForBus(template, names)).toEqual([
      {
        name: 'JobSchedule',
        scheduleExpression: 'rate(5 minutes)',
        rateMs: 300_000,
        enabled: true,
        targets: [
          {
            id: 'Target0',
            arn: 'arn:aws:lambda:us-east-1:000000000000:function:JobFunction',
            retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
            deadLetterArn: undefined,
          },
        ],
      },
    ]);
    expect(busRulesFromTemplate(template, names).map((r) => r.name)).toEqual(['ConsumeRule']);
  });

  it('refuses a pattern the local bus cannot apply', () => {
    const bad = fixtureTemplate();
    (bad.Resources['ConsumeRule']?.Properties as Record<string, unknown>)['EventPattern'] = { source: [] };
    expect(() => busRulesFromTemplate(bad, localResourceNames(bad))).toThrow(/ConsumeRule/);
  });
});
