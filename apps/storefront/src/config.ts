/**
 * What the storefront is told where it runs (`config.json` beside it): the API's base URL
 * (empty: the same origin), how customers sign in, the test cards a local Stripe sandbox knows
 * or a Stripe publishable key for Stripe Elements. npm start serves it; in AWS the stack writes it.
 */

export interface TestCard {
  id: string;
  label: string;
}

export type AuthConfig =
  | { mode: 'local'; tokenUrl: string }
  | { mode: 'cognito'; domain: string; clientId: string; redirectUri: string; scopes?: string[] };

export interface StorefrontConfig {
  apiBaseUrl: string;
  auth: AuthConfig;
  testCards: TestCard[];
  stripePublishableKey?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export async function loadConfig(fetchFn: typeof fetch, url = 'config.json'): Promise<StorefrontConfig> {
  const response = await fetchFn(url, { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`the shop's configuration could not be read (${response.status})`);
  const config = (await response.json()) as Partial<StorefrontConfig>;
  if (!config.auth || (config.auth.mode !== 'local' && config.auth.mode !== 'cognito')) throw new ConfigError('the shop has no sign-in configured');
  return { apiBaseUrl: config.apiBaseUrl ?? '', auth: config.auth, testCards: config.testCards ?? [], ...(config.stripePublishableKey ? { stripePublishableKey: config.stripePublishableKey } : {}) };
}
