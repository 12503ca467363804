import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { migrateToLatest } from "./migrate.js";

describe.each(TEST_ENGINES)("migrations on $name", (engine) => {
  it("creates every table and is idempotent", async () => {
    const handle = await engine.open();
    try {
      expect(await migrateToLatest(handle)).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from members`.execute(handle.db);
      expect(rows[0].n).toBe(0);
    } finally {
      await handle.close();
    }
  });
});
