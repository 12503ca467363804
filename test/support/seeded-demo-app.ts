import { type App, createApp } from "../../src/app.js";
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
  await migrateToLatest(database);
  if (!(await seedDemo({ database, ...DEMO_TEST_OPTIONS, now })))
    throw new Error("the demo was already seeded");
  const app = await createApp({ database, clock: new ManualClock(now), ...DEMO_TEST_OPTIONS });
  return { app, database };
}
