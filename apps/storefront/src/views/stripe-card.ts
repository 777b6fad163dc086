import { useEffect, useRef } from 'preact/hooks';
import { html } from '../html';

/**
 * Stripe Elements, when a publishable key is configured (a deployment with Stripe): the card is
 * typed into Stripe's own field and turned into a PaymentMethod by Stripe.js, so card numbers
 * never reach this shop or its API. Locally the sandbox's test cards are offered instead.
 */

export interface StripeCardHandle {
  createPaymentMethod(): Promise<string>;
}

interface StripeJs {
  elements(): { create(type: 'card'): { mount(element: HTMLElement): void } };
  createPaymentMethod(options: { type: 'card'; card: unknown }): Promise<{ paymentMethod?: { id: string }; error?: { message?: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

function loadStripe(): Promise<void> {
  if (window.Stripe) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('Stripe could not be loaded: check your connection and try again.'));
    document.head.append(script);
  });
}

export function StripeCardField({ publishableKey, onReady }: { publishableKey: string; onReady: (handle: StripeCardHandle) => void }) {
  const mount = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void loadStripe().then(() => {
      if (!window.Stripe || !mount.current) return;
      const stripe = window.Stripe(publishableKey);
      const card = stripe.elements().create('card');
      card.mount(mount.current);
      onReady({
        createPaymentMethod: async () => {
          const { paymentMethod, error } = await stripe.createPaymentMethod({ type: 'card', card });
          if (!paymentMethod) throw new Error(error?.message ?? 'The card could not be used.');
          return paymentMethod.id;
        },
      });
    });
  }, [publishableKey]);
  return html`<label>Card<div ref=${mount} class="stripe-card"></div></label>`;
}
