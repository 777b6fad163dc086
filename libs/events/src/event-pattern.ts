/**
 * EventBridge event patterns as plain data: the product's rules (rules.ts) are written in this
 * shape, and the CDK stack and the local bus (`@orderflow/local-aws`, which matches them as
 * EventBridge does) read the same definitions.
 */
export type PatternScalar = string | number | boolean | null;
export type PatternMatcher = PatternScalar | Readonly<Record<string, unknown>>;
export interface EventPattern {
  readonly [key: string]: readonly PatternMatcher[] | EventPattern | readonly EventPattern[];
}
