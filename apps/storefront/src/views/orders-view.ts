import type { Order } from '@orderflow/contracts';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import { formatMoney } from '../money';
import { describeFailure } from '../outcome';
import { href } from '../router';
import type { Shop } from '../shop';
import { OrderLines } from './checkout-view';
import { Alert } from './layout';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The signed-in customer's orders, newest first, a page at a time ("Load more"). */
export function OrdersView({ shop }: { shop: Shop }) {
  const [orders, setOrders] = useState<Order[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const session = shop.session.current();

  const load = async (token: string | null | undefined) => {
    setLoading(true);
    try {
      const page = await shop.api.myOrders(token ?? null);
      setOrders((before) => (token ? [...before, ...page.items] : page.items));
      setNext(page.nextToken);
      setError(undefined);
    } catch (e) {
      const outcome = describeFailure(e);
      if (outcome.signIn) shop.session.expire();
      setError(outcome.message);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (session) void load(undefined);
  }, [session?.customerId]);

  if (!session) return html`<h1>My orders</h1><p>${shop.session.expired() ? 'Your session has expired. ' : ''}<a href=${href({ page: 'sign-in', next: 'orders' })}>Sign in</a> to see your orders.</p>`;
  return html`
    <h1>My orders</h1>
    ${error ? html`<${Alert} message=${error} />` : null}
    ${orders.length === 0 && !loading && !error ? html`<p>You have no orders yet.</p>` : null}
    <ul class="orders">
      ${orders.map(
        (order) => html`
          <li key=${order.orderId}>
            <a href=${href({ page: 'order', orderId: order.orderId })}>${order.orderId}</a>
            <span class="date">${when(order.createdAt)}</span>
            <span class=${`status ${order.status}`}>${order.status}</span>
            <span class="total">${formatMoney(order.total)}</span>
          </li>
        `,
      )}
    </ul>
    ${loading ? html`<p role="status">Loading your orders…</p>` : null}
    ${next && !loading ? html`<button type="button" onClick=${() => void load(next)}>Load more</button>` : null}
  `;
}

/** One order's details. */
export function OrderView({ shop, orderId }: { shop: Shop; orderId: string }) {
  const [order, setOrder] = useState<Order | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    shop.api.order(orderId).then(setOrder, (e: unknown) => setError(describeFailure(e).message));
  }, [orderId]);
  if (error) return html`<${Alert} message=${error} />`;
  if (!order) return html`<p role="status">Loading the order…</p>`;
  return html`
    <h1>Order ${order.orderId}</h1>
    <p><span class=${`status ${order.status}`}>${order.status}</span> · ${when(order.createdAt)} · paid by ${order.payment.method.replace('_', ' ')} (${order.payment.status.toLowerCase()})</p>
    <${OrderLines} order=${order} />
    <p><a href=${href({ page: 'orders' })}>My orders</a></p>
  `;
}
