import type { Order } from '@orderflow/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { CheckoutPayment } from '../api-client';
import { html } from '../html';
import { formatMoney } from '../money';
import { describeFailure, type Outcome } from '../outcome';
import { href } from '../router';
import type { Shop } from '../shop';
import { Alert } from './layout';
import { StripeCardField, type StripeCardHandle } from './stripe-card';

type Method = 'card' | 'apple_pay' | 'paypal';

/**
 * The checkout: how to pay, then "Place order". Each attempt has one Idempotency-Key until it
 * has its final answer; "Try again" sends the same attempt. PayPal goes to the approval page and
 * comes back here (`?paypal=return`) to finish the same way.
 */
export function CheckoutView({ shop, paypal, onOrdered }: { shop: Shop; paypal?: 'return' | 'cancel' | undefined; onOrdered: (order: Order) => void }) {
  const session = shop.session.current();
  const lines = shop.cart.lines();
  const [method, setMethod] = useState<Method>('card');
  const [card, setCard] = useState(shop.config.testCards[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [stripe, setStripe] = useState<StripeCardHandle | undefined>();
  const nameOf = (productId: string) => lines.find((l) => l.productId === productId)?.name ?? productId;

  /** Sends the attempt (new, or the one under way when retried) and ends it when the answer is final. */
  const submit = async (items: { productId: string; quantity: number }[], payment: CheckoutPayment) => {
    const attempt = shop.attempts.begin(items, payment);
    setBusy(true);
    setOutcome(undefined);
    try {
      const order = await shop.api.placeOrder(attempt.items, attempt.payment, attempt.key);
      shop.attempts.end();
      shop.pendingPaypal.clear();
      shop.cart.clear();
      onOrdered(order);
    } catch (error) {
      const described = describeFailure(error, nameOf);
      if (!described.retry) shop.attempts.end();
      if (described.signIn) shop.session.expire();
      setOutcome(described);
    } finally {
      setBusy(false);
    }
  };

  // Back from PayPal's approval page: finish with the approved PayPal order.
  useEffect(() => {
    const pending = shop.pendingPaypal.get();
    if (paypal === 'return' && pending && session) void submit(pending.items, { method: 'paypal', paypalOrderId: pending.paypalOrderId });
    if (paypal === 'cancel') {
      shop.pendingPaypal.clear();
      setOutcome({ message: 'You cancelled the PayPal payment. Nothing was charged; choose how to pay.', retry: false });
    }
  }, [paypal]);

  if (!session) {
    const expired = shop.session.expired();
    return html`
      <h1>Checkout</h1>
      ${expired ? html`<${Alert} message="Your session has expired. Sign in again — your cart is kept." />` : html`<p>Sign in to place your order.</p>`}
      <p><a href=${href({ page: 'sign-in', next: 'checkout' })}>Sign in</a></p>
    `;
  }
  const attempt = shop.attempts.current();
  if (lines.length === 0 && !attempt && !busy) return html`<h1>Checkout</h1><p>Your cart is empty. <a href=${href({ page: 'catalog' })}>Browse the products</a>.</p>`;

  const placeOrder = async (event: Event) => {
    event.preventDefault();
    const items = shop.cart.items();
    if (method === 'paypal') {
      setBusy(true);
      setOutcome(undefined);
      try {
        const created = await shop.api.createPaypalOrder(items);
        shop.pendingPaypal.set({ paypalOrderId: created.paypalOrderId, items });
        window.location.assign(created.approveUrl);
      } catch (error) {
        setOutcome(describeFailure(error, nameOf));
        setBusy(false);
      }
      return;
    }
    let paymentMethodId = card;
    if (stripe) {
      try {
        paymentMethodId = await stripe.createPaymentMethod();
      } catch (error) {
        setOutcome({ message: (error as Error).message, retry: false });
        return;
      }
    }
    await submit(items, { method, paymentMethodId });
  };

  const subtotal = shop.cart.subtotal();
  return html`
    <h1>Checkout</h1>
    ${lines.length > 0
      ? html`<p class="summary">${shop.cart.count()} ${shop.cart.count() === 1 ? 'item' : 'items'}${subtotal ? html`, subtotal <strong>${formatMoney(subtotal)}</strong>` : null}</p>`
      : null}
    <form onSubmit=${placeOrder}>
      <fieldset>
        <legend>Payment method</legend>
        ${(
          [
            ['card', 'Card'],
            ['apple_pay', 'Apple Pay'],
            ['paypal', 'PayPal'],
          ] as const
        ).map(
          ([value, label]) => html`
            <label class="choice" key=${value}>
              <input type="radio" name="method" value=${value} checked=${method === value} onChange=${() => setMethod(value)} />
              ${label}
            </label>
          `,
        )}
      </fieldset>
      ${method !== 'paypal'
        ? shop.config.stripePublishableKey
          ? html`<${StripeCardField} publishableKey=${shop.config.stripePublishableKey} onReady=${setStripe} />`
          : html`
              <label for="test-card">Test card</label>
              <select id="test-card" value=${card} onChange=${(e: Event) => setCard((e.currentTarget as HTMLSelectElement).value)}>
                ${shop.config.testCards.map((c) => html`<option value=${c.id} key=${c.id}>${c.label}</option>`)}
              </select>
            `
        : html`<p class="hint">You will approve the payment on PayPal's page, then come back here.</p>`}
      <p>
        <button type="submit" class="primary" disabled=${busy} aria-busy=${busy}>Place order</button>
        ${busy ? html`<span role="status" class="progress">Placing your order…</span>` : null}
      </p>
    </form>
    ${outcome
      ? html`<${Alert} message=${outcome.message}>
          ${outcome.signIn
            ? html`<p><a href=${href({ page: 'sign-in', next: 'checkout' })}>Sign in</a></p>`
            : outcome.retry && attempt
              ? html`<p><button type="button" disabled=${busy} onClick=${() => void submit(attempt.items, attempt.payment)}>Try again</button></p>`
              : null}
        <//>`
      : null}
  `;
}

/** After the checkout: the order as the API answered it. */
export function ConfirmationView({ shop, orderId, placed }: { shop: Shop; orderId: string; placed: Order | undefined }) {
  const [order, setOrder] = useState<Order | undefined>(placed?.orderId === orderId ? placed : undefined);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!order) shop.api.order(orderId).then(setOrder, (e: unknown) => setError(describeFailure(e).message));
  }, [orderId]);
  if (error) return html`<${Alert} message=${error} />`;
  if (!order) return html`<p role="status">Loading your order…</p>`;
  return html`
    <h1>Order confirmed</h1>
    <p>Thank you. Your order number is <strong class="order-id">${order.orderId}</strong>.</p>
    <${OrderLines} order=${order} />
    <p><a href=${href({ page: 'orders' })}>My orders</a></p>
  `;
}

export function OrderLines({ order }: { order: Order }) {
  return html`
    <table class="lines">
      <thead><tr><th scope="col">Product</th><th scope="col">Quantity</th><th scope="col">Total</th></tr></thead>
      <tbody>
        ${order.items.map(
          (item) => html`<tr key=${item.productId}><th scope="row">${item.name}</th><td>${item.quantity}</td><td>${formatMoney(item.lineTotal)}</td></tr>`,
        )}
      </tbody>
      <tfoot><tr><th scope="row" colspan="2">Total</th><td class="total">${formatMoney(order.total)}</td></tr></tfoot>
    </table>
  `;
}

