/**
 * One Perkwise process running the scheduler once, as `perkwise serve` would on start, against the
 * PostgreSQL schema the test gives it; prints its run summary as JSON. Used by the multi-process test.
 * Env: DATABASE_URL, SCHEMA, NOW (epoch ms), WORKER; PERKWISE_ALIPAY_* and PERKWISE_WECHATPAY_* as
 * `perkwise serve` reads them (the payment query job asks those providers).
 */
import { startApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { alipayConfig, wechatPayConfig } from "../../src/config.js";
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
    alipay: alipayConfig(process.env),
    wechatpay: wechatPayConfig(process.env),
  });
  const summary = await app.scheduler.runDue();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await database.close();
}
