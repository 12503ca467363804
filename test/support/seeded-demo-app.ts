import { sql } from "kysely";
import { type App, startApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/demo/seed-demo.js";

export const DEMO_TEST_OPTIONS = {
  adminKey: "pwadmin_demo_test_0123456789",
  paymentSecret: `whsec_${Buffer.from("demo-seed-test-secret-32-bytes!!").toString("base64")}`,
};

/** The demo as `npm start` seeds it, on an in-memory PGlite, with the app's clock at `now`. */
export async function openSeededDemo(now: number): Promise<{ app: App; database: DatabaseHandle }> {
  const database = await openDatabase({ memory: true });
  return { app: await reseedDemo(database, now), database };
}

/**
 * Empties `database` (PGlite in memory: starting one costs seconds, emptying it milliseconds),
 * migrates it and seeds the demo at `now` for members in `timeZone`; the app's clock is at `now`.
 */
export async function reseedDemo(database: DatabaseHandle, now: number, timeZone?: string): Promise<App> {
  await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(database.db);
  await sql`CREATE SCHEMA public`.execute(database.db);
  await migrateToLatest(database);
  if (!(await seedDemo({ database, ...DEMO_TEST_OPTIONS, now, timeZone })))
    throw new Error("the demo was already seeded");
  return startApp({ database, clock: new ManualClock(now), ...DEMO_TEST_OPTIONS });
}
