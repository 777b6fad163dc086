// Public API of @orderflow/local: the one-machine stack behind `npm start`.
export { type LocalStack, type LocalStackOptions, type PhaseTiming, startLocalStack, StartupError } from './stack';
export { createLocalLog, type LocalLog, type LogFormat } from './log';
