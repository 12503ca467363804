import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";

export interface TestEngine {
  name: "pglite" | "postgres";
  /** A fresh, migrated, empty database of this engine; closing it drops it. */
  open(): Promise<DatabaseHandle>;
}

const postgresUrl = process.env.TEST_DATABASE_URL;

async function openFreshPostgres(url: string): Promise<DatabaseHandle> {
  // One schema per test database, so test files running in parallel never see each other's rows.
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = await openDatabase({ url, schema, poolSize: 12 });
  await migrateDespiteConcurrentDrops(handle);
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

/**
 * Kysely's migrator looks for its table by introspecting every schema of the database, calling
 * has_schema_privilege() on each: another test file dropping its schema at that moment makes the
 * call fail with 3F000 (invalid_schema_name) for a schema that is not ours. Only tests share a
 * database with schemas coming and going; try again.
 */
async function migrateDespiteConcurrentDrops(handle: DatabaseHandle, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(handle);
      return;
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (code !== "3F000" || attempt >= attempts) throw error;
    }
  }
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const TEST_ENGINES: TestEngine[] = [
  {
    name: "pglite",
    async open() {
      const handle = await openDatabase({ memory: true });
      await migrateToLatest(handle);
      return handle;
    },
  },
  ...(postgresUrl ? [{ name: "postgres" as const, open: () => openFreshPostgres(postgresUrl) }] : []),
];
