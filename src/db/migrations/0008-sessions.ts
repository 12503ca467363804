import { type Kysely, sql } from "kysely";

/** Client sessions: what a member's app reports about itself (platform, version, cached entitlements version). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("client_sessions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("entitlements_version", "integer", (c) => c.notNull())
    .addColumn("reported_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("client_sessions_member_idx")
    .on("client_sessions")
    .columns(["member_id", "reported_at desc", "id desc"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("client_sessions").ifExists().execute();
}
