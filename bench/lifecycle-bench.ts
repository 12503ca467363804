/**
 * Scheduled grant activation: 100,000 grants of 100,000 members all taking effect within the same
 * minute, applied by the durable scheduler (lease with SKIP LOCKED, set-based batches): each member's
 * entitlements version bumped, an outbox event and a timeline entry written.
 * Budget (issue 3): ≤ 60 s on PostgreSQL. Runs in a fresh schema, dropped afterwards.
 * Run alone: `node --import tsx bench/lifecycle-bench.ts` (needs BENCH_DATABASE_URL or TEST_DATABASE_URL).
 */
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { startApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { withSchema } from "./lib/bench-schema.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import { benchDatabaseUrl } from "./payment-bench.js";

const T = Date.parse("2026-11-24T16:00:00Z");
export const ACTIVATION_SETUP = { grants: 100_000, budgetSeconds: 60, batchSize: 1000, concurrency: 4 };

export interface ActivationBenchResult {
  grants: number;
  seconds: number;
  perSecond: number;
  loadSeconds: number;
  applied: { versionsBumped: number; timelineEntries: number; outboxEvents: number; jobsDone: number };
  rows: BudgetRow[];
}

export async function benchGrantActivation(url = benchDatabaseUrl()): Promise<ActivationBenchResult> {
  if (!url) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const n = ACTIVATION_SETUP.grants;
  return withSchema(url, async (schema) => {
    const database = await openDatabase({ url, schema, poolSize: ACTIVATION_SETUP.concurrency + 2 });
    try {
      await migrateToLatest(database);
      const db = database.db;
      const loadStart = performance.now();
      // Members paid earlier with a grant that takes effect later (a next-day benefit), and its job,
      // due spread over one minute — loaded set-based, as the payment path would have left them.
      await sql`insert into members (id, timezone, updated_at)
        select 'bm-' || g, 'Asia/Shanghai', now() from generate_series(1, ${n}) g`.execute(db);
      await sql`insert into memberships (id, member_id, tier_code, starts_at, expires_at, status, source_order_id, updated_at)
        select 'bms-' || g, 'bm-' || g, 'vip', ${new Date(T - 3600_000)}, ${new Date(T + 30 * 86400_000)},
               'active', 'bo-' || g, now()
        from generate_series(1, ${n}) g`.execute(db);
      await sql`insert into grants (id, member_id, membership_id, benefit_code, tier_code, status, effective_from, expires_at, catalog_version, updated_at)
        select 'bg-' || g, 'bm-' || g, 'bms-' || g, 'member_discount', 'vip', 'active',
               ${new Date(T)}::timestamptz + make_interval(secs => g % 60), ${new Date(T + 30 * 86400_000)}, 1, now()
        from generate_series(1, ${n}) g`.execute(db);
      await sql`insert into jobs (kind, key, member_id, run_at, payload, status, max_attempts)
        select 'grants.effective', 'grants.effective:bms-' || g || ':' || g, 'bm-' || g,
               ${new Date(T)}::timestamptz + make_interval(secs => g % 60),
               jsonb_build_object('membershipId', 'bms-' || g, 'effectiveFrom',
                 to_char((${new Date(T)}::timestamptz + make_interval(secs => g % 60)) at time zone 'UTC',
                         'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
               'pending', 10
        from generate_series(1, ${n}) g`.execute(db);
      await sql`analyze`.execute(db);
      const loadSeconds = (performance.now() - loadStart) / 1000;

      const clock = new ManualClock(T + 60_000);
      const app = await startApp({
        database,
        clock,
        adminKey: "pwadmin_bench_0123456789abcdef",
        paymentSecret: `whsec_${Buffer.from("perkwise-bench-secret-32-bytes!!").toString("base64")}`,
        scheduler: { batchSize: ACTIVATION_SETUP.batchSize, concurrency: ACTIVATION_SETUP.concurrency },
      });
      const t0 = performance.now();
      const summary = await app.scheduler.runDue();
      const seconds = (performance.now() - t0) / 1000;

      const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
        (await query.execute(db)).rows[0].n;
      const applied = {
        versionsBumped: await count(
          sql<{ n: number }>`select count(*)::int as n from members where entitlements_version = 2`,
        ),
        timelineEntries: await count(
          sql<{ n: number }>`select count(*)::int as n from timeline where kind = 'grants.effective'`,
        ),
        outboxEvents: await count(
          sql<{
            n: number;
          }>`select count(*)::int as n from outbox where payload->>'cause' = 'grants.effective'`,
        ),
        jobsDone: summary.done,
      };
      const complete = Object.values(applied).every((v) => v === n);
      const rows = [
        budgetRow({
          id: "7",
          name: "100,000 scheduled grants activated (PostgreSQL)",
          measured: seconds,
          unit: "s",
          direction: "max",
          budget: ACTIVATION_SETUP.budgetSeconds,
          note: complete
            ? `${fmtNumber(n / seconds)} grants/s; batches of ${ACTIVATION_SETUP.batchSize}, ${ACTIVATION_SETUP.concurrency} workers; versions, outbox and timeline all written`
            : `INCOMPLETE: ${JSON.stringify(applied)}`,
        }),
      ];
      if (!complete) rows[0] = { ...rows[0], verdict: "FAIL" };
      return { grants: n, seconds, perSecond: n / seconds, loadSeconds, applied, rows };
    } finally {
      await database.close();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchGrantActivation();
  for (const row of result.rows) console.log(formatRow(row));
  console.log(JSON.stringify({ ...result, rows: undefined }, null, 2));
}
