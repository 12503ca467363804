import { type Kysely, sql } from "kysely";

/** Metered quotas: the end of each grant's current usage period, and every usage request by idempotency key. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A quota's limit may exceed what int4 holds (storage in bytes), and so may its use.
  await db.schema
    .alterTable("grants")
    .alterColumn("quota_used", (c) => c.setDataType("bigint"))
    .execute();
  // null: the quota has no period, or nothing was used in the current one.
  await db.schema.alterTable("grants").addColumn("quota_resets_at", "timestamptz").execute();
  await db.schema
    .createTable("quota_usage")
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    // null when the request was denied before any grant covered the benefit.
    .addColumn("grant_id", "text")
    .addColumn("benefit_code", "text", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("response", "jsonb", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("quota_usage_pk", ["member_id", "idempotency_key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("quota_usage").ifExists().execute();
  await db.schema.alterTable("grants").dropColumn("quota_resets_at").execute();
  await db.schema
    .alterTable("grants")
    .alterColumn("quota_used", (c) => c.setDataType("integer"))
    .execute();
}
