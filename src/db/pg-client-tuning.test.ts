import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";

const postgres = TEST_ENGINES.find((engine) => engine.name === "postgres");

// Prepared statements exist only on PostgreSQL; CI always runs this (it sets TEST_DATABASE_URL).
describe.runIf(postgres)("prepared statements on PostgreSQL", () => {
  it("reuse one statement per text, and recover after a migration changes a table's shape", async () => {
    const handle = await postgres!.open();
    try {
      const db = handle.db;
      await db.insertInto("settings").values({ key: "a", value: "1" }).execute();
      const read = () => db.selectFrom("settings").selectAll().where("key", "=", "a").execute();
      expect(await read()).toEqual([{ key: "a", value: "1" }]);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_prepared_statements`.execute(db);
      expect(rows[0].n).toBeGreaterThan(0);

      // Another node's migration adds a column under our prepared `select *`.
      await sql`alter table settings add column note text`.execute(db);
      // Each connection that had prepared the read may fail once, with exactly that error; then
      // every read succeeds and sees the new column.
      const results: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(await read().catch((error: Error) => error));
      }
      const failures = results.filter((r) => r instanceof Error) as Error[];
      for (const failure of failures)
        expect(failure.message).toMatch(/cached plan must not change result type/);
      expect(failures.length).toBeLessThanOrEqual(12);
      expect(results.slice(-5)).toEqual(Array(5).fill([{ key: "a", value: "1", note: null }]));
    } finally {
      await handle.close();
    }
  });
});
