/**
 * One Perkwise node as `perkwise serve` runs it (HTTP server, event dispatcher, hub) on the
 * PostgreSQL schema the test gives it; prints `{"url": …}` once listening, stops on SIGTERM.
 * Env: DATABASE_URL, SCHEMA, ADMIN_KEY, PAYMENT_SECRET. Used by the two-node tests and the bench.
 */
import { createApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";
import { buildServer } from "../../src/http/server.js";

const database = await openDatabase({
  url: process.env.DATABASE_URL!,
  schema: process.env.SCHEMA,
  poolSize: Number(process.env.POOL_SIZE ?? 8),
});
const app = await createApp({
  database,
  clock: systemClock,
  adminKey: process.env.ADMIN_KEY!,
  paymentSecret: process.env.PAYMENT_SECRET!,
  events: { maxConnections: Number(process.env.MAX_STREAMS ?? 20_000) },
});
const server = await buildServer(app, { logLevel: "warn" });
const url = await server.listen({ port: 0, host: "127.0.0.1" });
app.events.start();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.once("SIGTERM", async () => {
  await server.close();
  await database.close();
  process.exit(0);
});
