import { type Kysely, sql } from "kysely";

/**
 * Rule changes members can see: grandfathered grants remember the catalog version whose rules they
 * keep and until when; notices tell each affected member what changed for them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("grants").addColumn("rules_version", "integer").execute();
  await db.schema.alterTable("grants").addColumn("rules_until", "timestamptz").execute();

  await db.schema
    .createTable("notices")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("catalog_version", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("applies_from", "timestamptz", (c) => c.notNull())
    .addColumn("policy", "text", (c) => c.notNull())
    .addColumn("title", "jsonb", (c) => c.notNull())
    // The version's own notice text; null = a summary generated from `changes` when read.
    .addColumn("message", "jsonb")
    .addColumn("changes", "jsonb", (c) => c.notNull())
    .addColumn("read_at", "timestamptz")
    // One notice per member and version: a retried fan-out chunk inserts nothing twice.
    .addUniqueConstraint("notices_member_version_uq", ["member_id", "catalog_version"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notices").ifExists().execute();
  await db.schema.alterTable("grants").dropColumn("rules_until").execute();
  await db.schema.alterTable("grants").dropColumn("rules_version").execute();
}
