export * from './error-catalogue';
export * from './errors';
export * from './events';
export * from './http';
export * from './json-schema';
export * from './money';
export * from './table';
export * from './workflow';
