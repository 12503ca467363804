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
  await migrateToLatest(handle);
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
