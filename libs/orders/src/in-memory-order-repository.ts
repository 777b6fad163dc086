import { z } from 'zod';
import { decodePageToken, encodePageToken } from '@orderflow/contracts';
import type {
  CreateOrderAttempt,
  OrderChange,
  OrderRecord,
  OrderRecordPage,
  OrderRepository,
  UpdateOrderAttempt,
} from './order-repository';

const InMemoryPageKeySchema = z.strictObject({ customerId: z.string(), after: z.string() });

/** An OrderRepository in memory with the adapter's semantics, for unit tests. */
export class InMemoryOrderRepository implements OrderRepository {
  readonly records = new Map<string, OrderRecord>();

  async create(record: OrderRecord): Promise<CreateOrderAttempt> {
    const existing = this.records.get(record.order.orderId);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.records.set(record.order.orderId, structuredClone(record));
    return { created: true };
  }

  async get(orderId: string): Promise<OrderRecord | undefined> {
    const record = this.records.get(orderId);
    return record ? structuredClone(record) : undefined;
  }

  async listByCustomer(customerId: string, page: { limit: number; nextToken?: string | undefined }): Promise<OrderRecordPage> {
    const sortKey = (r: OrderRecord) => `${new Date(r.order.createdAt).toISOString()}#${r.order.orderId}`;
    const after = page.nextToken === undefined ? undefined : decodePageToken(page.nextToken, InMemoryPageKeySchema);
    if (after && after.customerId !== customerId) throw decodePageToken('!', InMemoryPageKeySchema);
    const sorted = [...this.records.values()]
      .filter((r) => r.order.customerId === customerId)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1))
      .filter((r) => after === undefined || sortKey(r) < after.after);
    const pageRecords = sorted.slice(0, page.limit);
    const last = pageRecords.at(-1);
    return {
      orders: pageRecords.map((r) => structuredClone(r.order)),
      nextToken: sorted.length > page.limit && last ? encodePageToken({ customerId, after: sortKey(last) }) : null,
    };
  }

  async update(orderId: string, change: OrderChange): Promise<UpdateOrderAttempt> {
    const record = this.records.get(orderId);
    if (!record || !change.allowedFrom.includes(record.order.payment.status)) {
      return { updated: false, current: record ? structuredClone(record) : undefined };
    }
    record.order.payment.status = change.paymentStatus;
    if (change.status) record.order.status = change.status;
    return { updated: true, record: structuredClone(record) };
  }
}
