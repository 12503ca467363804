/**
 * Notice fan-out: 100,000 members with an active VIP membership (a grant per VIP benefit), one catalog
 * change that alters a benefit every one of them holds (`member_discount` narrowed, `apply_now`), then
 * the `catalog.activate` job: time from its start to the last notice written (each with its outbox
 * event, timeline entry and entitlements-version bump). Budget (DESIGN.md): ≤ 60 s on PostgreSQL.
 * PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set (a fresh schema, dropped afterwards);
 * otherwise PGlite in memory, reported but not the budget's engine.
 * Run alone: `node --import tsx bench/notice-bench.ts [members]`.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { startApp } from "../src/app.js";
import { ManualClock } from "../src/clock.js";
import { type DatabaseHandle, openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { DEMO_CATALOG } from "../src/demo/demo-catalog.js";
import { ACTIVATION_CHUNK } from "../src/notices/catalog-activation.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import { benchDatabaseUrl } from "./payment-bench.js";

export const NOTICE_SETUP = { members: 100_000, budgetSeconds: 60, chunk: ACTIVATION_CHUNK } as const;

export interface NoticeBenchResult {
  engine: "pglite" | "postgres";
  members: number;
  grants: number;
  seedMs: number;
  putMs: number;
  activationMs: number;
  notices: number;
  events: number;
  jobs: { done: number; retried: number; failed: number };
  rows: BudgetRow[];
}

const T0 = Date.parse("2026-11-24T02:00:00Z");
const DAY = 24 * 3600 * 1000;

async function openBenchDatabase(url: string | undefined) {
  if (!url) return { handle: await openDatabase({ memory: true }), drop: async () => {} };
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const handle = await openDatabase({ url, schema, poolSize: 4 });
  return {
    handle,
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await admin.end();
    },
  };
}

/** Members, memberships and grants written set-based: the fan-out is what is timed, not the seeding. */
async function seed(handle: DatabaseHandle, members: number): Promise<number> {
  const benefits = DEMO_CATALOG.tiers.find((t) => t.code === "vip")!.benefits;
  const start = new Date(T0);
  const end = new Date(T0 + 30 * DAY);
  const db = handle.db;
  await sql`insert into members (id, locale, timezone, updated_at)
    select 'bm-' || lpad(i::text, 7, '0'), case when i % 2 = 0 then 'en' else 'zh-CN' end, 'Asia/Shanghai', now()
    from generate_series(1, ${members}::int) i`.execute(db);
  await sql`insert into memberships (id, member_id, tier_code, starts_at, expires_at, status, source_order_id, updated_at)
    select 'msh-' || i, 'bm-' || lpad(i::text, 7, '0'), 'vip', ${start}::timestamptz, ${end}::timestamptz, 'active', 'ord-' || i, now()
    from generate_series(1, ${members}::int) i`.execute(db);
  await sql`insert into grants (id, member_id, membership_id, benefit_code, tier_code, status, effective_from, expires_at, catalog_version, updated_at)
    select 'grt-' || i || '-' || b, 'bm-' || lpad(i::text, 7, '0'), 'msh-' || i, b, 'vip', 'active',
      ${start}::timestamptz, ${end}::timestamptz, 1, now()
    from generate_series(1, ${members}::int) i
    cross join jsonb_array_elements_text(${JSON.stringify(benefits)}::jsonb) b`.execute(db);
  await sql`analyze`.execute(db);
  return members * benefits.length;
}

export async function benchNotices(
  members: number = NOTICE_SETUP.members,
  url = benchDatabaseUrl(),
): Promise<NoticeBenchResult> {
  const engine = url ? "postgres" : "pglite";
  const { handle, drop } = await openBenchDatabase(url);
  try {
    await migrateToLatest(handle);
    const clock = new ManualClock(T0);
    const app = await startApp({
      database: handle,
      clock,
      adminKey: "pwadmin_bench_notice_key_0123456789",
      paymentSecret: `whsec_${randomBytes(32).toString("base64")}`,
    });
    await app.catalog.put(DEMO_CATALOG);
    await app.scheduler.runDue();
    const s0 = performance.now();
    const grants = await seed(handle, members);
    const seedMs = performance.now() - s0;

    clock.set(T0 + 2 * DAY);
    const changed = structuredClone(DEMO_CATALOG);
    const discount = changed.benefits.find((b) => b.code === "member_discount")!;
    discount.rules = { ...discount.rules, scope: { categories: ["ebooks"], excludeSaleItems: true } };
    const p0 = performance.now();
    await app.catalog.put({
      ...changed,
      policy: "apply_now",
      notice: { en: "Member prices move to e-books.", "zh-CN": "会员价调整为仅适用于电子书。" },
    });
    const putMs = performance.now() - p0;

    // Activation start → every notice written: the first job and every chunk job it chains.
    const a0 = performance.now();
    const summary = await app.scheduler.runDue();
    const activationMs = performance.now() - a0;
    const { rows } = await sql<{ notices: number; events: number }>`
      select (select count(*)::int from notices) as notices,
             (select count(*)::int from outbox where type = 'notice.created') as events`.execute(handle.db);
    const { notices, events } = rows[0];
    const complete = notices === members && events === members && summary.failed === 0;
    const label =
      engine === "postgres" ? "PostgreSQL" : "PGlite (no BENCH_DATABASE_URL; budget is for PostgreSQL)";
    return {
      engine,
      members,
      grants,
      seedMs,
      putMs,
      activationMs,
      notices,
      events,
      jobs: summary,
      rows: [
        budgetRow({
          id: "6",
          name: `notice fan-out, ${fmtNumber(members)} members (${label})`,
          measured: complete ? activationMs / 1000 : null,
          unit: "s",
          direction: "max",
          budget: NOTICE_SETUP.budgetSeconds,
          ...(engine === "pglite" && complete ? { verdict: "SKIP" as const } : {}),
          note: complete
            ? `${fmtNumber(notices)} notices + outbox events + timeline entries + version bumps in ${summary.done} jobs of ≤ ${fmtNumber(NOTICE_SETUP.chunk)} members; ${(members / (activationMs / 1000)).toFixed(0)} members/s; PUT ${fmtNumber(putMs)} ms; seeded ${fmtNumber(grants)} grants in ${fmtNumber(seedMs)} ms`
            : `incomplete: ${notices} notices, ${events} events for ${members} members; jobs ${JSON.stringify(summary)}`,
        }),
      ],
    };
  } finally {
    await handle.close();
    await drop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const members = process.argv[2] ? Number(process.argv[2]) : NOTICE_SETUP.members;
  const r = await benchNotices(members);
  for (const row of r.rows) console.log(formatRow(row));
}
