import type { Money } from '@orderflow/contracts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@orderflow/contracts/limits';
import { addMoney } from './money';
import { type KeyValueStore, readJson } from './storage';

/** A line of the cart: the product as the catalog showed it, and how many. */
export interface CartLine {
  productId: string;
  name: string;
  unitPrice: Money;
  quantity: number;
}

const KEY = 'orderflow.cart';

/** The cart, kept across reloads (and a sign-in that expired): what is in it and how many of each. */
export class Cart {
  constructor(private readonly store: KeyValueStore) {}

  lines(): CartLine[] {
    return readJson<CartLine[]>(this.store, KEY) ?? [];
  }

  /** One more of a product (up to the per-line cap); a new line at the end. */
  add(product: { productId: string; name: string; price: Money }): void {
    const lines = this.lines();
    const line = lines.find((l) => l.productId === product.productId);
    if (line) line.quantity = Math.min(MAX_LINE_QUANTITY, line.quantity + 1);
    else if (lines.length < MAX_CART_LINES) lines.push({ productId: product.productId, name: product.name, unitPrice: product.price, quantity: 1 });
    this.save(lines);
  }

  /** Sets a line's quantity, kept within 1 and the cap; 0 removes it. */
  setQuantity(productId: string, quantity: number): void {
    if (!Number.isFinite(quantity)) return;
    if (quantity <= 0) return this.remove(productId);
    this.save(this.lines().map((l) => (l.productId === productId ? { ...l, quantity: Math.min(MAX_LINE_QUANTITY, Math.floor(quantity)) } : l)));
  }

  remove(productId: string): void {
    this.save(this.lines().filter((l) => l.productId !== productId));
  }

  clear(): void {
    this.store.remove(KEY);
  }

  count(): number {
    return this.lines().reduce((sum, l) => sum + l.quantity, 0);
  }

  /** From the API's prices as the catalog gave them; the checkout prices the cart again itself. */
  subtotal(): Money | undefined {
    return addMoney(this.lines().map((l) => ({ amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency })));
  }

  /** The lines as POST /orders takes them. */
  items(): { productId: string; quantity: number }[] {
    return this.lines().map(({ productId, quantity }) => ({ productId, quantity }));
  }

  private save(lines: CartLine[]): void {
    if (lines.length === 0) this.store.remove(KEY);
    else this.store.set(KEY, JSON.stringify(lines));
  }
}

export const MAX_QUANTITY = MAX_LINE_QUANTITY;
