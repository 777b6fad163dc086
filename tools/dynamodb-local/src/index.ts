export { localClientConfig } from './client-config';
export { DYNAMODB_LOCAL_PACKAGE, ensureDynamoDbLocalJar, type JarLocation } from './jar';
export { checkJava, JAVA_INSTALL_HINT, JavaNotFoundError, MIN_JAVA_MAJOR, parseJavaMajor } from './java';
export { type DynamoDbLocal, DynamoDbLocalStartError, freePort, type StartOptions, startDynamoDbLocal } from './launcher';
export { deleteTable, ensureTable } from './table';
export { cacheDir, workspaceRoot } from './workspace';
