import { type Kysely, sql } from "kysely";

/**
 * The support desk (issue 16): tickets, their conversation and attachments (bytes in the database),
 * frozen evidence versions, the agents and their public numbers, the audit trail, the SLA marks that
 * make warnings and breaches happen once, and the SLA policy document.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  // Agent numbers (工号) come from a sequence: a number handed out is never handed out again.
  await sql`create sequence support_agent_numbers start 1001`.execute(db);
  await db.schema
    .createTable("support_agents")
    .addColumn("key_id", "text", (c) => c.primaryKey())
    .addColumn("number", "bigint", (c) =>
      c.notNull().unique().defaultTo(sql`nextval('support_agent_numbers')`),
    )
    .addColumn("display_name", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("tickets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("benefit", "text")
    .addColumn("order_id", "text")
    .addColumn("occurred_at", "timestamptz")
    .addColumn("place", "text")
    .addColumn("expected", "text", (c) => c.notNull())
    .addColumn("actual", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("classification", "text")
    .addColumn("promised_by", "timestamptz")
    .addColumn("assignee", "text")
    .addColumn("opened_by", "text", (c) => c.notNull())
    .addColumn("resolution", "text")
    // The SLA clocks (epoch-ms spans, see sla-state.ts): the resolution clock and the response target.
    .addColumn("sla", "jsonb", (c) => c.notNull())
    // The soonest due instant of a running target (or the promise); 'infinity' when none runs: the
    // queue's sort key, so the keyset needs no nulls.
    .addColumn("due_at", "timestamptz", (c) => c.notNull())
    .addColumn("breached", "boolean", (c) => c.notNull().defaultTo(false))
    // The member's satisfaction, once, after resolution.
    .addColumn("rating", "integer")
    .addColumn("rating_comment", "text")
    .addColumn("rated_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .addColumn("closed_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("tickets_member_idx")
    .on("tickets")
    .columns(["member_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("tickets_queue_idx")
    .on("tickets")
    .columns(["status", "due_at", "id"])
    .execute();
  await db.schema.createIndex("tickets_due_idx").on("tickets").columns(["due_at", "id"]).execute();

  await db.schema
    .createTable("ticket_messages")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
    // public (member and agents), internal (agents only), system.
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("agent_number", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ticket_messages_idx")
    .on("ticket_messages")
    .columns(["ticket_id", "id"])
    .execute();

  await db.schema
    .createTable("ticket_attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
    .addColumn("message_id", "bigint", (c) => c.notNull().references("ticket_messages.id"))
    // The order the sender gave them in.
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ticket_attachments_idx")
    .on("ticket_attachments")
    .columns(["ticket_id", "message_id"])
    .execute();

  await db.schema
    .createTable("ticket_evidence")
    .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("taken_by", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("document", "jsonb", (c) => c.notNull())
    .addPrimaryKeyConstraint("ticket_evidence_pk", ["ticket_id", "version"])
    .execute();

  await db.schema
    .createTable("ticket_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ticket_events_idx").on("ticket_events").columns(["ticket_id", "id"]).execute();

  // A warning or breach of one target instance happens once, whichever node's job gets there.
  await db.schema
    .createTable("ticket_sla_marks")
    .addColumn("ticket_id", "text", (c) => c.notNull().references("tickets.id"))
    .addColumn("mark", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("ticket_sla_marks_pk", ["ticket_id", "mark"])
    .execute();

  await db.schema
    .createTable("support_policies")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("document", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "support_policies",
    "ticket_sla_marks",
    "ticket_events",
    "ticket_evidence",
    "ticket_attachments",
    "ticket_messages",
    "tickets",
    "support_agents",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop sequence if exists support_agent_numbers`.execute(db);
}
