/**
 * One Perkwise process running the scheduler once, as `perkwise serve` would on start, against the
 * PostgreSQL schema the test gives it; prints its run summary as JSON. Used by the multi-process test.
 * Env: DATABASE_URL, SCHEMA, NOW (epoch ms), WORKER.
 */
import { startApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";

const database = await openDatabase({
  url: process.env.DATABASE_URL!,
  schema: process.env.SCHEMA,
  poolSize: 4,
});
try {
  const app = await startApp({
    database,
    clock: new ManualClock(Number(process.env.NOW)),
    adminKey: "pwadmin_scheduler_process_0123456789",
    paymentSecret: `whsec_${Buffer.from("scheduler-process-secret-32bytes").toString("base64")}`,
    scheduler: { workerId: process.env.WORKER, batchSize: 10, concurrency: 2 },
  });
  const summary = await app.scheduler.runDue();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await database.close();
}
