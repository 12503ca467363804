/**
 * One Perkwise node in its own OS process, as `perkwise serve` runs it (HTTP server, event
 * dispatcher, hub), on the PostgreSQL schema the test gives it. Prints `{"url", "nodeId", "pid"}` as
 * one JSON line once it listens; stops on SIGTERM. Started by `startNode` (node-processes.ts).
 * Env: DATABASE_URL, SCHEMA, ADMIN_KEY, PAYMENT_SECRET; optional NOW (epoch ms: a clock fixed
 * there, else the system clock), POOL_SIZE (8), MAX_STREAMS (20,000), IGNORE_CLUSTER_ERRORS=1 (for
 * tests that cut the LISTEN connection on purpose).
 */
import { createApp } from "../../src/app.js";
import { ManualClock, systemClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/database.js";
import { HttpServerPart } from "../../src/http/http-server-part.js";
import { buildServer } from "../../src/http/server.js";

const env = process.env;
const database = await openDatabase({
  url: env.DATABASE_URL!,
  schema: env.SCHEMA,
  poolSize: Number(env.POOL_SIZE ?? 8),
});
const app = createApp({
  database,
  clock: env.NOW ? new ManualClock(Number(env.NOW)) : systemClock,
  adminKey: env.ADMIN_KEY!,
  paymentSecret: env.PAYMENT_SECRET!,
  events: { maxConnections: Number(env.MAX_STREAMS ?? 20_000) },
  onClusterError: env.IGNORE_CLUSTER_ERRORS === "1" ? () => {} : undefined,
});
const server = await buildServer(app, { logLevel: "warn" });
const http = new HttpServerPart(server, { port: 0, host: "127.0.0.1" });
await app.start({
  // As `perkwise serve` does: outbox rows are numbered on a poll too (rows other nodes left behind).
  after: [{ name: "event dispatcher poll", start: () => app.events.start() }, http],
});
const url = http.url;
process.stdout.write(`${JSON.stringify({ url, nodeId: app.cluster.nodeId, pid: process.pid })}\n`);
process.once("SIGTERM", async () => {
  await app.stop();
  await database.close();
  process.exit(0);
});
