import type { Kysely } from "kysely";

/**
 * Payment providers' own notifications (Alipay first):
 * - `payment_events.currency`: the amount's currency (money is `{amount, currency}` everywhere);
 *   null only on rows stored before this migration, whose amount is in the order's currency.
 * - `payment_events.provider` and `.notification`: who sent the event and what they said — the raw
 *   body, the headers and how it was verified — the evidence support reads. Standard Webhooks rows
 *   keep their parsed payload only, as before.
 * - `orders.refunded_amount`: the cumulative refunded amount (providers refund in parts);
 *   `orders.closed_at`: when the provider closed an order that was never paid (status `closed`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("payment_events")
    .addColumn("currency", "text")
    .addColumn("provider", "text", (c) => c.notNull().defaultTo("standard_webhooks"))
    .addColumn("notification", "jsonb")
    .execute();
  await db.schema
    .alterTable("orders")
    .addColumn("refunded_amount", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("closed_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("orders").dropColumn("closed_at").dropColumn("refunded_amount").execute();
  await db.schema
    .alterTable("payment_events")
    .dropColumn("notification")
    .dropColumn("provider")
    .dropColumn("currency")
    .execute();
}
