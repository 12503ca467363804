import { type Kysely, sql } from "kysely";

/** Risk holds: the signals they are computed from, the holds, their audit trail and verification codes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("signals")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("device_id", "text")
    .addColumn("ip", "text")
    .addColumn("country", "text")
    .addColumn("city", "text")
    .addColumn("channel", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  // The two questions the rules ask: a member's recent logins, and a device's recent members.
  await db.schema
    .createIndex("signals_member_idx")
    .on("signals")
    .columns(["member_id", "type", "at"])
    .execute();
  await sql`create index signals_device_idx on signals (device_id, at) where device_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable("holds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    // null: every benefit; else the benefit codes it covers.
    .addColumn("benefits", "jsonb")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("clear_method", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("placed_by", "text", (c) => c.notNull())
    .addColumn("placed_at", "timestamptz", (c) => c.notNull())
    .addColumn("cleared_by", "text")
    .addColumn("cleared_at", "timestamptz")
    .addColumn("clear_note", "text")
    .addColumn("details", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("holds_member_idx").on("holds").columns(["member_id", "status"]).execute();
  await db.schema.createIndex("holds_list_idx").on("holds").columns(["status", "placed_at", "id"]).execute();
  // A rule never stacks a second open hold of the same reason on a member; manual holds may stack
  // (an agent may hold different benefits for different cases).
  await sql`create unique index holds_open_reason_idx on holds (member_id, reason)
            where status = 'open' and reason <> 'manual'`.execute(db);

  await db.schema
    .createTable("hold_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("hold_id", "text", (c) => c.notNull().references("holds.id"))
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("hold_events_hold_idx").on("hold_events").columns(["hold_id", "id"]).execute();

  await db.schema
    .createTable("verification_codes")
    .addColumn("hold_id", "text", (c) => c.primaryKey().references("holds.id"))
    .addColumn("member_id", "text", (c) => c.notNull())
    // null once used, replaced or voided by a lockout.
    .addColumn("code_hash", "text")
    .addColumn("expires_at", "timestamptz")
    .addColumn("requested_at", "timestamptz", (c) => c.notNull())
    // Wrong codes since the last lockout or success: a new code does not reset them.
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["verification_codes", "hold_events", "holds", "signals"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
