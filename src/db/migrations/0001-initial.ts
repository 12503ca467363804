import { type Kysely, sql } from "kysely";

/** The core tables: catalog versions, members, orders, payment events, memberships, grants, outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("revoked_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("catalog_versions")
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("document", "jsonb", (c) => c.notNull())
    .addColumn("diff", "jsonb", (c) => c.notNull())
    .addColumn("notice", "jsonb")
    .addColumn("effective_from", "timestamptz")
    .addColumn("policy", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("display_name", "text")
    .addColumn("locale", "text")
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("entitlements_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("plan_code", "text", (c) => c.notNull())
    .addColumn("tier_code", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("catalog_version", "integer", (c) => c.notNull())
    .addColumn("membership_id", "text")
    .addColumn("period_start", "timestamptz")
    .addColumn("period_end", "timestamptz")
    .addColumn("provider_ref", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("paid_at", "timestamptz")
    .addColumn("refunded_at", "timestamptz")
    .execute();
  await db.schema.createIndex("orders_member_idx").on("orders").columns(["member_id", "status"]).execute();

  await db.schema
    .createTable("payment_events")
    .addColumn("webhook_id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("amount", "integer")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("response_status", "integer", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("payment_events_order_idx").on("payment_events").column("order_id").execute();

  await db.schema
    .createTable("memberships")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("tier_code", "text", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("source_order_id", "text", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("memberships_member_idx").on("memberships").column("member_id").execute();

  await db.schema
    .createTable("grants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("membership_id", "text", (c) => c.notNull().references("memberships.id"))
    .addColumn("benefit_code", "text", (c) => c.notNull())
    .addColumn("tier_code", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("effective_from", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("catalog_version", "integer", (c) => c.notNull())
    .addColumn("claimed_at", "timestamptz")
    .addColumn("toggled_on", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("quota_used", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ended_at", "timestamptz")
    .addColumn("end_reason", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("grants_membership_benefit_uq", ["membership_id", "benefit_code"])
    .execute();
  await db.schema.createIndex("grants_member_idx").on("grants").column("member_id").execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("member_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("delivered_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("outbox_undelivered_idx")
    .on("outbox")
    .column("id")
    .where(sql.ref("delivered_at"), "is", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "outbox",
    "grants",
    "memberships",
    "payment_events",
    "orders",
    "members",
    "catalog_versions",
    "api_keys",
    "settings",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
