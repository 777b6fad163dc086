import { describe, expect, it } from 'vitest';
import { DEPLOY_HELP, DeployUsageError, type DeployPlan, planDeploy } from './deploy-command';
import { UnknownStageError } from './stages';

const plan = (action: 'deploy' | 'destroy', argv: string[]) => planDeploy(action, argv) as DeployPlan;

describe('npm run deploy / destroy', () => {
  it('explains its options and names every stage in --help', () => {
    expect(planDeploy('deploy', ['--help'])).toBe('help');
    for (const option of ['--stage', '--profile', '--approve', '-c <key=value>', '--dry-run']) expect(DEPLOY_HELP).toContain(option);
    expect(DEPLOY_HELP).toMatch(/^ {2}dev +a developer stage/m);
    expect(DEPLOY_HELP).toMatch(/^ {2}prod +production/m);
  });

  it('builds the storefront, then deploys the stage stack with its context, asking before broadening permissions', () => {
    const deploy = plan('deploy', ['--stage', 'dev', '--profile', 'team', '-c', 'orderflow:alarmEmail=oncall@example.com']);
    expect(deploy.stackId).toBe('Orderflow-dev');
    expect(deploy.commands).toEqual([
      { command: 'npx', args: ['nx', 'run', 'storefront:build'], cwd: '.' },
      {
        command: 'npx',
        args: ['cdk', 'deploy', 'Orderflow-dev', '-c', 'orderflow:stage=dev', '-c', 'orderflow:alarmEmail=oncall@example.com', '--profile', 'team', '--require-approval', 'broadening', '--outputs-file', 'cdk.out/Orderflow-dev.outputs.json'],
        cwd: 'apps/infra',
      },
    ]);
    expect(plan('deploy', ['--stage', 'prod', '--approve']).commands[1]?.args).toContain('never');
  });

  it('destroys a dev stage, refuses a production one, and says what is wrong with bad input', () => {
    expect(plan('destroy', ['--stage', 'dev']).commands).toEqual([{ command: 'npx', args: ['cdk', 'destroy', 'Orderflow-dev', '-c', 'orderflow:stage=dev', '--force'], cwd: 'apps/infra' }]);
    expect(() => planDeploy('destroy', ['--stage', 'prod'])).toThrow(new DeployUsageError('refusing to destroy the production stage "prod": delete its stack in the CloudFormation console if you really mean it'));
    expect(() => planDeploy('deploy', [])).toThrow(DeployUsageError);
    expect(() => planDeploy('deploy', ['--stage', 'qa'])).toThrow(UnknownStageError);
    expect(() => planDeploy('deploy', ['--stage', 'dev', '-c', 'nonsense'])).toThrow(/-c expects key=value/);
  });
});
