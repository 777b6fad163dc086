// The one place that knows where the checkout is: @orderflow/workspace (re-exported for this package's users).
export { cacheDir, workspaceRoot } from '@orderflow/workspace';
