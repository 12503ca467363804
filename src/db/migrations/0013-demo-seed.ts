import { type Kysely, sql } from "kysely";

/**
 * Whether `serve --demo` seeded this database completely: a row is written before the seed starts
 * and completed after its last step, so a start that died half-way is told apart from a seeded demo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("demo_seed")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seeded_for", "timestamptz", (c) => c.notNull())
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("completed_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("demo_seed").execute();
}
