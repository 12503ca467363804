import { type Kysely, sql } from "kysely";

/**
 * The event log (outbox rows numbered after commit, in one order, by one sequencer at a time), the
 * sequencer's single row, and outgoing webhooks: endpoints, deliveries and their attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("event_log")
    .addColumn("seq", "bigint", (c) => c.primaryKey())
    .addColumn("outbox_id", "bigint", (c) => c.notNull())
    .addColumn("member_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    // The frame's data line as sent: stored as text so streaming it costs no parse and no stringify.
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("event_log_member_idx").on("event_log").columns(["member_id", "seq"]).execute();
  await db.schema.createIndex("event_log_created_idx").on("event_log").column("created_at").execute();
  await db.schema
    .createIndex("event_log_broadcast_idx")
    .on("event_log")
    .column("seq")
    .where(sql.ref("member_id"), "is", null)
    .execute();

  await db.schema
    .createTable("event_sequencer")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    // Every event up to here may have been pruned: a resume from before it is a reset.
    .addColumn("pruned_through", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into event_sequencer (id, last_seq, pruned_through) values (1, 0, 0)`.execute(db);

  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("events", "jsonb", (c) => c.notNull())
    .addColumn("description", "text")
    // Kept retrievable (not hashed): deliveries are signed with it.
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("enabled", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("disabled_at", "timestamptz")
    .addColumn("disabled_reason", "text")
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failing_since", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("endpoint_id", "text", (c) =>
      c.notNull().references("webhook_endpoints.id").onDelete("cascade"),
    )
    .addColumn("event_seq", "bigint", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "timestamptz")
    .addColumn("last_status_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("finished_at", "timestamptz")
    .addUniqueConstraint("webhook_deliveries_event_uq", ["endpoint_id", "event_seq"])
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due_idx")
    .on("webhook_deliveries")
    .columns(["next_attempt_at", "id"])
    .where(sql.ref("status"), "in", sql`('pending', 'running')`)
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_endpoint_idx")
    .on("webhook_deliveries")
    .columns(["endpoint_id", "event_seq desc"])
    .execute();

  await db.schema
    .createTable("webhook_attempts")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("delivery_id", "text", (c) =>
      c.notNull().references("webhook_deliveries.id").onDelete("cascade"),
    )
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("latency_ms", "integer", (c) => c.notNull())
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("webhook_attempts_delivery_idx")
    .on("webhook_attempts")
    .columns(["delivery_id", "attempt"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "webhook_attempts",
    "webhook_deliveries",
    "webhook_endpoints",
    "event_sequencer",
    "event_log",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
