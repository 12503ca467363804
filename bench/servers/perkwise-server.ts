/**
 * A Perkwise server for the HTTP benchmarks, in its own process. Environment:
 * - BENCH_SERVER_CATALOG: `demo` (the demo catalog and members, seeded with seedDemo), `bench` (bench/lib/bench-catalog.ts),
 *   or `none` (a second node on a database another node already set up: the catalog is loaded from it).
 * - BENCH_SERVER_DATABASE_URL + BENCH_SERVER_DATABASE_SCHEMA (+ BENCH_SERVER_POOL_SIZE): PostgreSQL, in that
 *   (fresh) schema, never `public`; else PGlite in memory. Set only by the benchmark that spawns this.
 * - BENCH_SERVER_ADMIN_KEY, BENCH_SERVER_PAYMENT_SECRET: the secrets the load generator signs and authenticates with.
 * - PERKWISE_ALIPAY_*, PERKWISE_WECHATPAY_*: the payment providers, configured as `perkwise serve` reads them.
 * Prints one JSON line {port, apiKey, database} once listening; SIGTERM closes it.
 */
import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { alipayConfig, wechatPayConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { HttpServerPart } from "../../src/http/http-server-part.js";
import { buildServer } from "../../src/http/server.js";
import { BENCH_SERVER_CATALOG } from "../lib/bench-catalog.js";

export interface PerkwiseServerInfo {
  port: number;
  url: string;
  /** A service API key (pwk_…), created through AuthService like an operator would. */
  apiKey: string;
  database: "pglite" | "postgres";
}

const env = process.env;
const adminKey = env.BENCH_SERVER_ADMIN_KEY ?? `pwadmin_${randomBytes(24).toString("base64url")}`;
const paymentSecret = env.BENCH_SERVER_PAYMENT_SECRET ?? `whsec_${randomBytes(32).toString("base64")}`;
const catalogKind = env.BENCH_SERVER_CATALOG ?? "demo";

if (env.BENCH_SERVER_DATABASE_URL && !env.BENCH_SERVER_DATABASE_SCHEMA)
  throw new Error(
    "BENCH_SERVER_DATABASE_URL needs BENCH_SERVER_DATABASE_SCHEMA: a benchmark never writes to public",
  );
const database = await openDatabase(
  env.BENCH_SERVER_DATABASE_URL
    ? {
        url: env.BENCH_SERVER_DATABASE_URL,
        schema: env.BENCH_SERVER_DATABASE_SCHEMA,
        poolSize: env.BENCH_SERVER_POOL_SIZE ? Number(env.BENCH_SERVER_POOL_SIZE) : undefined,
      }
    : { memory: true },
);
await migrateToLatest(database);
if (catalogKind === "demo") {
  await seedDemo({ database, adminKey, paymentSecret, now: Date.now() });
}
const app = createApp({
  database,
  clock: systemClock,
  adminKey,
  paymentSecret,
  alipay: alipayConfig(env),
  wechatpay: wechatPayConfig(env),
});
const server = await buildServer(app, { logLevel: env.LOG_LEVEL ?? "silent" });
// A benchmark server needs no graceful drain: a keep-alive connection that goes idle after close()
// began would otherwise hold the process until Fastify's keep-alive timeout.
const http = new HttpServerPart(server, { port: 0, host: "127.0.0.1" }, 0);
await app.start({
  // As `perkwise serve` does: outbox rows are numbered on a poll too (rows other nodes left behind).
  after: [{ name: "event dispatcher poll", start: () => app.events.start() }, http],
});
const url = http.url;
if (catalogKind === "bench") await app.catalog.put(BENCH_SERVER_CATALOG);
const { key: apiKey } = await app.auth.createApiKey("bench", "service");
const info: PerkwiseServerInfo = { port: Number(new URL(url).port), url, apiKey, database: database.kind };
console.log(JSON.stringify(info));

let stopping = false;
process.once("SIGTERM", async () => {
  if (stopping) return;
  stopping = true;
  await app.stop();
  await database.close();
  process.exit(0);
});
