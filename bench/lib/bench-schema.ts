import { randomBytes } from "node:crypto";
import pg from "pg";

/** Runs `work` in a fresh PostgreSQL schema, dropped afterwards whatever happens. */
export async function withSchema<T>(url: string, work: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    return await work(schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
}
