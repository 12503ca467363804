import type { Kysely } from "kysely";

/**
 * What granting took for each applied payment event: from its receipt to the last statement of the
 * transaction that committed its grants, in ms (the console's payment-to-grant chart). Null for
 * events that granted nothing and for events stored before this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("payment_events").addColumn("grant_latency_ms", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("payment_events").dropColumn("grant_latency_ms").execute();
}
