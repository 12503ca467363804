import { type Kysely, sql } from "kysely";

/** The member timeline: every change that touched a member, with its time and source. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("timeline")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("timeline_member_idx").on("timeline").columns(["member_id", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("timeline").ifExists().execute();
}
