import { parseArgs } from 'node:util';
import { STAGE_CONTEXT_KEY } from './app';
import { STAGES, stackIdFor, stageNamed } from './stages';

/**
 * `npm run deploy` / `npm run destroy`: what to run for a stage, as a plan (the commands, in
 * order) so that `--dry-run` and the tests see exactly what a deploy would do.
 */

export const DEPLOY_HELP = `Deploy orderflow to AWS, one stage at a time.

  npm run deploy -- --stage <name> [options]
  npm run destroy -- --stage <name> [options]

Stages (apps/infra/src/stages.ts):
${Object.entries(STAGES)
  .map(([name, stage]) => `  ${name.padEnd(6)} ${stage.description}`)
  .join('\n')}

Options:
  --stage <name>        the stage (required); the stack is Orderflow-<name>
  --profile <name>      the AWS CLI profile to use (default: the environment's credentials)
  --approve             deploy without asking about IAM and security-group changes
                        (default: CDK asks when a change broadens permissions)
  -c <key=value>        a stack setting over the stage's (repeatable), e.g. -c orderflow:alarmEmail=oncall@example.com
  --dry-run             print the commands, run nothing
  -h, --help            this text

A deploy builds the storefront (npx nx run storefront:build), then runs cdk deploy from
apps/infra: the synth bundles every handler and runs cdk-nag's checks first. Destroying a
production stage is refused; a stage's table and user pool are kept or deleted as its
settings say (dataRemoval).
`;

export class DeployUsageError extends Error {
  override name = 'DeployUsageError';
}

export interface PlannedCommand {
  command: string;
  args: string[];
  /** Relative to the repository root. */
  cwd: string;
}

export interface DeployPlan {
  action: 'deploy' | 'destroy';
  stage: string;
  stackId: string;
  commands: PlannedCommand[];
  dryRun: boolean;
}

export function planDeploy(action: 'deploy' | 'destroy', argv: string[]): DeployPlan | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      profile: { type: 'string' },
      approve: { type: 'boolean', default: false },
      context: { type: 'string', short: 'c', multiple: true, default: [] },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (!values.stage) throw new DeployUsageError('--stage <name> is required (see --help)');
  const stage = stageNamed(values.stage);
  if (action === 'destroy' && stage.production) {
    throw new DeployUsageError(`refusing to destroy the production stage "${values.stage}": delete its stack in the CloudFormation console if you really mean it`);
  }
  for (const pair of values.context) {
    if (!/^[^=]+=.+$/.test(pair)) throw new DeployUsageError(`-c expects key=value, got "${pair}"`);
  }
  const stackId = stackIdFor(values.stage);
  const cdkArgs = [
    'cdk',
    action,
    stackId,
    '-c',
    `${STAGE_CONTEXT_KEY}=${values.stage}`,
    ...values.context.flatMap((pair) => ['-c', pair]),
    ...(values.profile ? ['--profile', values.profile] : []),
    ...(action === 'deploy' ? ['--require-approval', values.approve ? 'never' : 'broadening', '--outputs-file', `cdk.out/${stackId}.outputs.json`] : ['--force']),
  ];
  const commands: PlannedCommand[] = [
    ...(action === 'deploy' ? [{ command: 'npx', args: ['nx', 'run', 'storefront:build'], cwd: '.' }] : []),
    { command: 'npx', args: cdkArgs, cwd: 'apps/infra' },
  ];
  return { action, stage: values.stage, stackId, commands, dryRun: values['dry-run'] };
}
