import { type Kysely, sql } from "kysely";

/** Reconciliation runs: what each run found and repaired, per drift kind, with a capped list of findings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("reconcile_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("fix", "boolean", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .addColumn("finished_at", "timestamptz")
    .addColumn("members_scanned", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("found", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("repaired", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("counts", "jsonb", (c) => c.notNull())
    .addColumn("findings", "jsonb", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("reconcile_runs_started_idx")
    .on("reconcile_runs")
    .column("started_at")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("reconcile_runs").ifExists().execute();
}
