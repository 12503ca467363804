/**
 * One Perkwise node as its own OS process: an HTTP server on a random port over the PostgreSQL schema
 * the test gives it, with the clock fixed at NOW. Prints `{"url", "nodeId"}` as one JSON line once it
 * listens; stops on SIGTERM. Used by the multi-process cluster test. Env: DATABASE_URL, SCHEMA, NOW.
 */
import { createApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";
import { buildServer } from "../../src/http/server.js";
import { ADMIN_KEY, PAYMENT_SECRET } from "../e2e-harness.js";

const database = await openDatabase({
  url: process.env.DATABASE_URL!,
  schema: process.env.SCHEMA,
  poolSize: 4,
});
const app = await createApp({
  database,
  clock: new ManualClock(Number(process.env.NOW)),
  adminKey: ADMIN_KEY,
  paymentSecret: PAYMENT_SECRET,
  onClusterError: () => {},
});
const server = await buildServer(app, { logLevel: "silent" });
const url = await server.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ url, nodeId: app.cluster.nodeId })}\n`);

process.once("SIGTERM", async () => {
  await server.close();
  await app.reconcile.settle();
  await database.close();
  process.exit(0);
});
