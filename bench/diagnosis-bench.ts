/**
 * Diagnosis latency: `app.diagnosis.diagnose()` in process for one member with a realistic history
 * (a year of monthly renewals, a refund, claims, switches, daily quota use, app reports) and at least
 * 200 timeline entries, all written through the real services. Each call heals (a drift check),
 * loads the member's evidence in one statement and runs the pure diagnosis.
 * Budget (issue 4): p99 ≤ 20 ms on PostgreSQL. Runs in a fresh schema, dropped afterwards.
 * Run alone: `node --import tsx bench/diagnosis-bench.ts` (needs BENCH_DATABASE_URL or TEST_DATABASE_URL).
 */
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { Webhook } from "standardwebhooks";
import { type App, startApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import { type Db, openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { DEMO_CATALOG } from "../src/demo/demo-catalog.js";
import type { DiagnoseRequest } from "../src/support/diagnosis-service.js";
import { withSchema } from "./lib/bench-schema.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import { benchDatabaseUrl } from "./payment-bench.js";

const DAY = 24 * 3600 * 1000;
const START = Date.parse("2025-11-01T02:00:00Z");
const SECRET = `whsec_${Buffer.from("perkwise-bench-secret-32-bytes!!").toString("base64")}`;
const MEMBER = "bench-diag";

export const DIAGNOSIS_SETUP = { calls: 2_000, warmup: 200, timelineEntries: 200, budgetP99Ms: 20 };

/** The questions asked, in turn: a quota, an old app, a claim, a working benefit, a pending order. */
function requests(pendingOrderId: string): DiagnoseRequest[] {
  return [
    { benefit: "hd_downloads", context: { usage: 1 } },
    { benefit: "vip_zone", context: { client: { platform: "ios", version: "5.0.0" } } },
    { benefit: "monthly_gift" },
    { benefit: "ad_free" },
    { benefit: "svip_concierge", orderId: pendingOrderId },
  ];
}

async function pay(app: App, orderId: string, amount: number, type = "payment.succeeded") {
  const body = JSON.stringify({ type, data: { orderId, amount } });
  const id = `bench_${orderId}_${type}`;
  const at = new Date(app.clock.now());
  await app.payments.receive(body, {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(SECRET).sign(id, at, body),
  });
}

/** A year as a VIP, then an SVIP order left pending: returns that order's id. */
async function history(app: App, clock: ManualClock, db: Db) {
  await app.catalog.put(DEMO_CATALOG);
  await app.members.upsert({ id: MEMBER, displayName: "Bench member", locale: "zh-CN" });
  const timelineCount = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from timeline where member_id = ${MEMBER}`.execute(
        db,
      )
    ).rows[0].n;
  let day = 0;
  let month = 0;
  let downloads = 0;
  for (;;) {
    clock.set(START + day * DAY);
    await app.scheduler.runDue();
    if (day % 30 === 0) {
      // A monthly renewal; the third one refunded by the provider and bought again.
      const order = await app.orders.create({ memberId: MEMBER, plan: "vip_month", channel: "official_app" });
      await pay(app, order.orderId, order.amount.amount);
      if (month === 2) {
        await pay(app, order.orderId, order.amount.amount, "payment.refunded");
        const again = await app.orders.create({ memberId: MEMBER, plan: "vip_month" });
        await pay(app, again.orderId, again.amount.amount);
      }
      month++;
    }
    if (day % 30 === 2) await app.benefits.claim(MEMBER, "monthly_gift", "member").catch(() => {});
    if (day % 7 === 1) await app.benefits.toggle(MEMBER, "hd_download_boost", day % 14 === 1, "member");
    if (day % 10 === 3) {
      await app.sessions.report(MEMBER, { platform: "ios", version: "5.0.0", entitlementsVersion: 1 });
    }
    await app.quotas
      .consume(MEMBER, "hd_downloads", { amount: 10, idempotencyKey: `bench-dl-${downloads++}` }, null)
      .catch(() => {});
    day++;
    if ((await timelineCount()) >= DIAGNOSIS_SETUP.timelineEntries) break;
  }
  const pending = await app.orders.create({ memberId: MEMBER, plan: "svip_month" });
  return { pendingOrderId: pending.orderId, days: day, timeline: await timelineCount() };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export interface DiagnosisBenchResult {
  calls: number;
  timelineEntries: number;
  historyDays: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  perSecond: number;
  rows: BudgetRow[];
}

export async function benchDiagnosis(url = benchDatabaseUrl()): Promise<DiagnosisBenchResult> {
  if (!url) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  return withSchema(url, async (schema) => {
    const database = await openDatabase({ url, schema, poolSize: 4 });
    try {
      await migrateToLatest(database);
      const clock = new ManualClock(START);
      const app = await startApp({
        database,
        clock,
        adminKey: "pwadmin_bench_0123456789abcdef",
        paymentSecret: SECRET,
      });
      const built = await history(app, clock, database.db);
      await sql`analyze`.execute(database.db);
      const asks = requests(built.pendingOrderId);
      for (let i = 0; i < DIAGNOSIS_SETUP.warmup; i++)
        await app.diagnosis.diagnose(MEMBER, asks[i % asks.length], null);
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < DIAGNOSIS_SETUP.calls; i++) {
        const start = performance.now();
        await app.diagnosis.diagnose(MEMBER, asks[i % asks.length], null);
        times.push(performance.now() - start);
      }
      const seconds = (performance.now() - t0) / 1000;
      times.sort((a, b) => a - b);
      const p50Ms = percentile(times, 50);
      const p99Ms = percentile(times, 99);
      const rows = [
        budgetRow({
          id: "9",
          name: "diagnosis p99, member with a 200-entry timeline (PostgreSQL)",
          measured: p99Ms,
          unit: "ms",
          direction: "max",
          budget: DIAGNOSIS_SETUP.budgetP99Ms,
          note: `p50 ${p50Ms.toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms; ${fmtNumber(DIAGNOSIS_SETUP.calls)} calls (${asks.length} questions in turn), ${fmtNumber(DIAGNOSIS_SETUP.calls / seconds)}/s sequential; ${built.timeline} timeline entries over ${built.days} days`,
        }),
      ];
      return {
        calls: DIAGNOSIS_SETUP.calls,
        timelineEntries: built.timeline,
        historyDays: built.days,
        p50Ms,
        p99Ms,
        maxMs: times[times.length - 1],
        perSecond: DIAGNOSIS_SETUP.calls / seconds,
        rows,
      };
    } finally {
      await database.close();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchDiagnosis();
  for (const row of result.rows) console.log(formatRow(row));
  console.log(JSON.stringify({ ...result, rows: undefined }, null, 2));
}
