// `npm run deploy -- --stage <name>` and `npm run destroy -- --stage <name>` (see --help).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/workspace';
import { DEPLOY_HELP, DeployUsageError, planDeploy } from './deploy-command';
import { UnknownStageError } from './stages';

function main(): number {
  const [action, ...argv] = process.argv.slice(2);
  if (action !== 'deploy' && action !== 'destroy') {
    console.error('usage: deploy.ts deploy|destroy --stage <name> (see --help)');
    return 2;
  }
  let plan;
  try {
    plan = planDeploy(action, argv);
  } catch (error) {
    if (error instanceof DeployUsageError || error instanceof UnknownStageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`${action}: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (plan === 'help') {
    process.stdout.write(DEPLOY_HELP);
    return 0;
  }
  console.log(`${plan.action} ${plan.stackId} (stage ${plan.stage})`);
  for (const step of plan.commands) {
    console.log(`$ (cd ${step.cwd}) ${step.command} ${step.args.join(' ')}`);
    if (plan.dryRun) continue;
    const run = spawnSync(step.command, step.args, { cwd: join(workspaceRoot(), step.cwd), stdio: 'inherit' });
    if (run.status !== 0) return run.status ?? 1;
  }
  return 0;
}

process.exitCode = main();
