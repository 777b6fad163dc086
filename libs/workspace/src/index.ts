// Public API of @orderflow/workspace: where things are on a checkout.
export { cacheDir, workspaceRoot } from './workspace-root';
export { announceRunningStack, findRunningStack, type RunningStack, runningStackFile, withdrawRunningStack } from './running-stack';
