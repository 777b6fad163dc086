import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import { html } from './html';
import { exchangeCode } from './sign-in';
import { createShop } from './shop';
import { webStore } from './storage';
import './styles.css';
import { PKCE_KEY } from './views/sign-in-view';

/**
 * Starts the shop: reads its configuration, finishes what brought the browser back here (PayPal's
 * approval page, Cognito's hosted UI), then renders the page the hash names.
 */
async function start(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const fetchFn: typeof fetch = (...args) => fetch(...args);
  let config;
  try {
    config = await loadConfig(fetchFn, `${import.meta.env.BASE_URL}config.json`);
  } catch (error) {
    render(html`<div role="alert" class="alert error"><p>${(error as Error).message}</p></div>`, root);
    return;
  }
  const shop = createShop(config, webStore(window.localStorage), fetchFn);
  const url = new URL(window.location.href);
  const base = import.meta.env.BASE_URL;

  // PayPal sends the buyer back to /shop/paypal/return (or /cancel).
  if (url.pathname === `${base}paypal/return` || url.pathname === `${base}paypal/cancel`) {
    const outcome = url.pathname.endsWith('/return') ? 'return' : 'cancel';
    window.history.replaceState(null, '', `${base}#/checkout?paypal=${outcome}`);
  }
  // Cognito's hosted UI sends the customer back with a code to trade for tokens.
  const code = url.searchParams.get('code');
  if (code && config.auth.mode === 'cognito') {
    const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string; next?: string };
    sessionStorage.removeItem(PKCE_KEY);
    if (pending.verifier && pending.state === url.searchParams.get('state')) {
      shop.session.set(await exchangeCode(fetchFn, config.auth, code, pending.verifier));
    }
    window.history.replaceState(null, '', `${base}${pending.next ?? ''}`);
  }
  render(html`<${App} shop=${shop} />`, root);
}

void start();
