import type { Kysely } from "kysely";

/**
 * Idempotency rows keep the outcome, not an HTTP answer: the status of a replayed payment event or
 * usage request is chosen at the edge from the stored outcome (src/http/outcome-status.ts). The
 * status columns stay, nullable and no longer written, so rows written before stay as they were and
 * a node still running the previous version can write during a rolling upgrade; a later migration
 * drops them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("payment_events")
    .alterColumn("response_status", (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable("quota_usage")
    .alterColumn("status", (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("payment_events")
    .alterColumn("response_status", (c) => c.setNotNull())
    .execute();
  await db.schema
    .alterTable("quota_usage")
    .alterColumn("status", (c) => c.setNotNull())
    .execute();
}
