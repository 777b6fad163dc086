import { useState } from 'preact/hooks';
import { html } from '../html';
import { hostedUiUrl, pkcePair, signInLocally } from '../sign-in';
import type { Shop } from '../shop';
import { Alert } from './layout';

export const PKCE_KEY = 'orderflow.pkce';

/** Signing in: a Customer ID locally (the development issuer), Cognito's hosted UI in AWS. */
export function SignInView({ shop, onSignedIn }: { shop: Shop; onSignedIn: () => void }) {
  const [customerId, setCustomerId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const auth = shop.config.auth;
  const expired = shop.session.expired();

  if (auth.mode === 'cognito') {
    const start = async () => {
      const { verifier, challenge } = await pkcePair();
      const state = crypto.randomUUID();
      sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, next: window.location.hash }));
      window.location.assign(hostedUiUrl(auth, challenge, state));
    };
    return html`
      <h1>Sign in</h1>
      ${expired ? html`<${Alert} message="Your session has expired. Sign in again — your cart is kept." />` : null}
      <p><button type="button" class="primary" onClick=${() => void start()}>Sign in</button></p>
    `;
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      shop.session.set(await signInLocally(shop.fetch, auth, customerId.trim()));
      onSignedIn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <h1>Sign in</h1>
    ${expired ? html`<${Alert} message="Your session has expired. Sign in again — your cart is kept." />` : null}
    <form onSubmit=${submit}>
      <p class="hint">This shop runs locally: any Customer ID signs in (the local stack's development issuer).</p>
      <label for="customer-id">Customer ID</label>
      <input id="customer-id" name="customerId" autocomplete="username" required value=${customerId} onInput=${(e: Event) => setCustomerId((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="primary" disabled=${busy}>Sign in</button>
    </form>
    ${error ? html`<${Alert} message=${error} />` : null}
  `;
}
