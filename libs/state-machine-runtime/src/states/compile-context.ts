/** What the per-state compile functions share with the compiler: the state being compiled and the scopes of `$states`. */

export interface StateCtx {
  name: string;
  location: string;
  jsonata: boolean;
}

/** Where `$states.result` / `$states.errorOutput` may be read. */
export type StatesScope = { result: boolean; errorOutput: boolean };
export const NO_RESULT: StatesScope = { result: false, errorOutput: false };
export const WITH_RESULT: StatesScope = { result: true, errorOutput: false };
export const IN_CATCH: StatesScope = { result: false, errorOutput: true };

/** The largest number of seconds a definition may name (TimeoutSeconds, Wait Seconds). */
export const MAX_SECONDS = 99999999;

/** Fields by group, for each state type's list of the fields it allows. */
export const COMMON_FIELDS = ['Type', 'Comment', 'QueryLanguage'];
export const FLOW_FIELDS = ['Next', 'End'];
export const JSONPATH_IO_FIELDS = ['InputPath', 'OutputPath'];
export const ERROR_FIELDS = ['Retry', 'Catch'];
