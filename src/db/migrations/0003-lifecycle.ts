import { type Kysely, sql } from "kysely";

/** Durable jobs, and what the membership lifecycle records: grace periods, how a membership ended, upgrade credit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    // One job per key: scheduling the same thing twice is a no-op.
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("member_id", "text")
    .addColumn("run_at", "timestamptz", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  // What a worker scans: pending jobs by due time, and running ones whose lease may have lapsed.
  await db.schema
    .createIndex("jobs_due_idx")
    .on("jobs")
    .columns(["run_at", "id"])
    .where(sql.ref("status"), "=", "pending")
    .execute();
  await db.schema
    .createIndex("jobs_running_idx")
    .on("jobs")
    .column("locked_until")
    .where(sql.ref("status"), "=", "running")
    .execute();

  await db.schema.alterTable("memberships").addColumn("grace_ends_at", "timestamptz").execute();
  await db.schema.alterTable("memberships").addColumn("ended_at", "timestamptz").execute();
  await db.schema.alterTable("orders").addColumn("upgrade", "jsonb").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("orders").dropColumn("upgrade").execute();
  await db.schema.alterTable("memberships").dropColumn("ended_at").execute();
  await db.schema.alterTable("memberships").dropColumn("grace_ends_at").execute();
  await db.schema.dropTable("jobs").ifExists().execute();
}
