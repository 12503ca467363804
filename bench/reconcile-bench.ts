/**
 * Reconciliation of 1,000,000 members with 10 grants each on PostgreSQL: a full dry-run scan, timed,
 * with the process's peak RSS and heap sampled throughout (memory must stay bounded: the scan is
 * streamed in chunks of member ids, never loaded whole). Budget (DESIGN.md): ≤ 120 s.
 * The data is bulk-loaded with set-based SQL (generate_series) into a fresh schema, dropped afterwards,
 * with a few members of each drift kind injected. Runs in a child process so RSS is its own.
 * PostgreSQL only (BENCH_DATABASE_URL or TEST_DATABASE_URL); RECONCILE_BENCH_MEMBERS overrides the count.
 * Run alone: `node --import tsx bench/reconcile-bench.ts`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { BENCH_PLAN, BENCH_PLAN_AMOUNT, BENCH_SERVER_CATALOG } from "./lib/bench-catalog.js";
import { type BudgetRow, budgetRow, fmtNumber } from "./lib/report.js";

export const RECONCILE_BUDGET_SECONDS = 120;
/** Members per drift kind injected (5 kinds that the bulk load can fake cheaply). */
const DRIFT_PER_KIND = 20;

export interface ReconcileBenchResult {
  members: number;
  grants: number;
  loadSeconds: number;
  vacuumSeconds: number;
  scanSeconds: number;
  membersPerSec: number;
  found: number;
  injected: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  rssBeforeMiB: number;
  rows: BudgetRow[];
}

const MiB = 1024 * 1024;
const pad = (expr: string) => `lpad((${expr})::text, 8, '0')`;

export async function bulkLoad(client: pg.Client, members: number, benefits: string[]) {
  await client.query("begin");
  // Foreign-key triggers off for the load (the bench builds consistent rows itself); every index is
  // kept, and keys ascend, so each insert appends to its B-trees. One transaction: every row has the
  // same xmin, as if each member's rows had been written with their version bump.
  await client.query("set local session_replication_role = replica");
  await client.query("set local synchronous_commit = off");
  const gen = `generate_series(1, ${members}) i`;
  await client.query(`insert into members (id, timezone, entitlements_version, updated_at)
    select 'm' || ${pad("i")}, 'UTC', 2, now() from ${gen}`);
  await client.query(`insert into orders (id, member_id, plan_code, tier_code, amount, currency, channel, status,
      catalog_version, membership_id, period_start, period_end, paid_at)
    select 'o' || ${pad("i")}, 'm' || ${pad("i")}, '${BENCH_PLAN}', 'bench', ${BENCH_PLAN_AMOUNT}, 'CNY', 'app', 'paid',
      1, 's' || ${pad("i")}, now(), now() + interval '1 year', now() from ${gen}`);
  await client.query(`insert into memberships (id, member_id, tier_code, starts_at, expires_at, status, source_order_id, updated_at)
    select 's' || ${pad("i")}, 'm' || ${pad("i")}, 'bench', now(), now() + interval '1 year', 'active', 'o' || ${pad("i")}, now()
    from ${gen}`);
  await client.query(
    `insert into grants (id, member_id, membership_id, benefit_code, tier_code, status, effective_from, expires_at,
      catalog_version, updated_at)
    select 'g' || ${pad("i")} || '_' || lpad(b.n::text, 2, '0'), 'm' || ${pad("i")}, 's' || ${pad("i")}, b.code, 'bench',
      'active', now(), now() + interval '1 year', 1, now()
    from ${gen} cross join unnest($1::text[]) with ordinality as b(code, n)
    order by i, b.n`,
    [benefits],
  );
  await client.query("commit");
}

/** Drift among the loaded members, spread over the id range: 5 kinds × DRIFT_PER_KIND members. */
export async function injectDrift(client: pg.Client, members: number): Promise<number> {
  const step = Math.max(1, Math.floor(members / (DRIFT_PER_KIND * 5 + 1)));
  const ids = (k: number) =>
    Array.from({ length: DRIFT_PER_KIND }, (_, j) => `m${String((j * 5 + k + 1) * step).padStart(8, "0")}`);
  await client.query("delete from grants where member_id = any($1) and benefit_code = 'bench_zone'", [
    ids(0),
  ]);
  await client.query("delete from grants where member_id = any($1)", [ids(1)]);
  await client.query(
    "update grants set updated_at = now() where member_id = any($1) and benefit_code = 'bench_claim'",
    [ids(2)],
  );
  // Refunded, but the grants survived (members row rewritten alongside, so only this kind shows).
  await client.query("begin");
  await client.query(
    "update memberships set status = 'revoked', revoked_at = now() where member_id = any($1)",
    [ids(3)],
  );
  await client.query("update orders set status = 'refunded', refunded_at = now() where member_id = any($1)", [
    ids(3),
  ]);
  await client.query("update members set id = id where id = any($1)", [ids(3)]);
  await client.query("commit");
  // A paid order whose membership is gone.
  await client.query("begin");
  await client.query("set local session_replication_role = replica");
  await client.query("delete from grants where member_id = any($1)", [ids(4)]);
  await client.query("delete from memberships where member_id = any($1)", [ids(4)]);
  await client.query("commit");
  return DRIFT_PER_KIND * 5;
}

/** The child: load, scan, print one JSON line. */
async function child(url: string, members: number): Promise<Omit<ReconcileBenchResult, "rows">> {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase({ url, schema, poolSize: 2 });
  try {
    await migrateToLatest(database);
    const app = await startApp({
      database,
      clock: systemClock,
      adminKey: `pwadmin_${randomBytes(16).toString("hex")}`,
      paymentSecret: `whsec_${randomBytes(32).toString("base64")}`,
    });
    await app.catalog.put(BENCH_SERVER_CATALOG);
    const benefits = [...app.catalog.require().tiers.get("bench")!.benefits];
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    let t = performance.now();
    await bulkLoad(client, members, benefits);
    const injected = await injectDrift(client, members);
    const loadSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    // As a database that has been live a while: statistics known, visibility map and hint bits set.
    await client.query("vacuum analyze members, orders, memberships, grants, payment_events, timeline");
    const vacuumSeconds = (performance.now() - t) / 1000;
    await client.end();

    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    t = performance.now();
    const run = await app.reconcile.run({ fix: false, trigger: "cli" });
    const scanSeconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    if (run.status !== "finished") throw new Error(`reconcile run ${run.status}: ${run.error}`);
    return {
      members: run.membersScanned,
      grants: members * benefits.length,
      loadSeconds,
      vacuumSeconds,
      scanSeconds,
      membersPerSec: run.membersScanned / scanSeconds,
      found: run.found,
      injected,
      peakRssMiB: peakRss / MiB,
      peakHeapMiB: peakHeap / MiB,
      rssBeforeMiB: rssBefore / MiB,
    };
  } finally {
    await database.close();
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end();
  }
}

/** Runs the benchmark in a child process and turns its figures into budget rows. */
export async function benchReconcile(url: string): Promise<ReconcileBenchResult> {
  const members = Number(process.env.RECONCILE_BENCH_MEMBERS ?? 1_000_000);
  const file = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--expose-gc", "--import", "tsx", file, "--child"],
    {
      env: { ...process.env, RECONCILE_BENCH_URL: url, RECONCILE_BENCH_MEMBERS: String(members) },
      maxBuffer: 16 * MiB,
    },
  );
  const r = JSON.parse(stdout.trim().split("\n").at(-1)!) as Omit<ReconcileBenchResult, "rows">;
  const scale =
    r.members === 1_000_000 ? "" : ` (only ${fmtNumber(r.members)} members: RECONCILE_BENCH_MEMBERS)`;
  return {
    ...r,
    rows: [
      budgetRow({
        id: "8",
        name: `reconcile dry run, ${fmtNumber(r.members)} members × 10 grants (PostgreSQL)`,
        measured: r.scanSeconds,
        unit: "s",
        direction: "max",
        budget: RECONCILE_BUDGET_SECONDS,
        note: `${fmtNumber(r.membersPerSec)} members/s; found ${r.found} of ${r.injected} injected; peak RSS ${fmtNumber(r.peakRssMiB)} MiB (${fmtNumber(r.rssBeforeMiB)} before), peak heap ${fmtNumber(r.peakHeapMiB)} MiB; load ${fmtNumber(r.loadSeconds)} s + vacuum ${fmtNumber(r.vacuumSeconds)} s${scale}`,
      }),
    ],
  };
}

if (process.argv.includes("--child")) {
  const url = process.env.RECONCILE_BENCH_URL!;
  const result = await child(url, Number(process.env.RECONCILE_BENCH_MEMBERS ?? 1_000_000));
  console.log(JSON.stringify(result));
  process.exit(0);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const r = await benchReconcile(url);
  console.log(JSON.stringify({ ...r, rows: undefined }, null, 2));
  for (const row of r.rows) console.log(row);
}
