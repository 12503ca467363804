/**
 * One more Perkwise server process on the PostgreSQL schema the test gives it, as a second API node
 * would run: prints its URL as JSON, serves until SIGTERM. Used by the two-process coupon test.
 * Env: DATABASE_URL, SCHEMA, NOW (epoch ms), ADMIN_KEY.
 */
import { createApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";
import { buildServer } from "../../src/http/server.js";

const database = await openDatabase({
  url: process.env.DATABASE_URL!,
  schema: process.env.SCHEMA,
  poolSize: 8,
});
const app = await createApp({
  database,
  clock: new ManualClock(Number(process.env.NOW)),
  adminKey: process.env.ADMIN_KEY!,
  paymentSecret: `whsec_${Buffer.from("coupon-process-secret-32-bytes!!").toString("base64")}`,
});
const server = await buildServer(app, { logLevel: "silent" });
const url = await server.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once("SIGTERM", async () => {
  await server.close();
  await database.close();
  process.exit(0);
});
