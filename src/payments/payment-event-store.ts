import { type Selectable, sql } from "kysely";
import type { PaymentEventsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { ReceivedNotification } from "./payment-event.js";

export type PaymentOutcome =
  | "applied"
  | "already_applied"
  | "ignored_after_refund"
  | "amount_mismatch"
  | "currency_mismatch"
  | "unknown_order";

export interface PaymentEventRecord {
  webhookId: string;
  orderId: string | null;
  type: string;
  amount: number | null;
  /** The amount's currency; null when the order is unknown, or on rows stored before migration 0015. */
  currency: string | null;
  outcome: PaymentOutcome;
  payload: unknown;
  /** `standard_webhooks`, or the provider whose own notification this was. */
  provider: string;
  /** The provider's raw notification (body, headers, verification); null for Standard Webhooks. */
  notification: ReceivedNotification | null;
  receivedAt: Date;
}

/** A new row: without a provider it came through Standard Webhooks, with no raw notification. */
export type NewPaymentEvent = Omit<PaymentEventRecord, "currency" | "provider" | "notification"> &
  Partial<Pick<PaymentEventRecord, "currency" | "provider" | "notification">>;

/** Every payment event received, with the outcome it had: the evidence for "I paid". */
export interface PaymentEventStore {
  /**
   * Records the event unless its webhook id was seen; returns false for a duplicate. A null currency
   * is the order's (a bare amount), read in the same statement.
   */
  insertIfNew(event: NewPaymentEvent): Promise<boolean>;
  get(webhookId: string): Promise<PaymentEventRecord | null>;
  setOutcome(webhookId: string, outcome: PaymentOutcome): Promise<void>;
  /** Receipt → grants committed, in ms, for many events in one statement (the payment-to-grant statistics). */
  setGrantLatencies(rows: { webhookId: string; ms: number }[]): Promise<void>;
  listForOrder(orderId: string): Promise<PaymentEventRecord[]>;
}

type Row = Selectable<PaymentEventsTable>;

function toRecord(row: Row): PaymentEventRecord {
  return {
    webhookId: row.webhook_id,
    orderId: row.order_id,
    type: row.type,
    amount: row.amount,
    currency: row.currency,
    outcome: row.outcome as PaymentOutcome,
    payload: row.payload,
    provider: row.provider,
    notification: (row.notification as ReceivedNotification | null) ?? null,
    receivedAt: row.received_at,
  };
}

export function createPaymentEventStore(db: Executor): PaymentEventStore {
  return {
    async insertIfNew(event) {
      const inserted = await db
        .insertInto("payment_events")
        .values({
          webhook_id: event.webhookId,
          order_id: event.orderId,
          type: event.type,
          amount: event.amount,
          currency: event.currency ?? sql<string>`(select currency from orders where id = ${event.orderId})`,
          outcome: event.outcome,
          payload: JSON.stringify(event.payload),
          provider: event.provider ?? "standard_webhooks",
          notification: event.notification ? JSON.stringify(event.notification) : null,
          received_at: event.receivedAt,
        })
        .onConflict((oc) => oc.column("webhook_id").doNothing())
        .returning("webhook_id")
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async get(webhookId) {
      const row = await db
        .selectFrom("payment_events")
        .selectAll()
        .where("webhook_id", "=", webhookId)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async setGrantLatencies(rows) {
      await sql`
        update payment_events p set grant_latency_ms = v.ms
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v("webhookId" text, ms integer)
        where p.webhook_id = v."webhookId"`.execute(db);
    },
    async setOutcome(webhookId, outcome) {
      await db.updateTable("payment_events").set({ outcome }).where("webhook_id", "=", webhookId).execute();
    },
    async listForOrder(orderId) {
      const rows = await db
        .selectFrom("payment_events")
        .selectAll()
        .where("order_id", "=", orderId)
        .orderBy("received_at")
        .execute();
      return rows.map(toRecord);
    },
  };
}
