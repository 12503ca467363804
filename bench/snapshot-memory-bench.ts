/**
 * Heap cost of the snapshot cache: 100,000 members, each with 1 membership and 7 active grants, built
 * by the real buildSnapshot() from rows parsed the way the database driver hands them over (JSON),
 * filled into a real SnapshotCache through its load path. Budget (DESIGN.md): ≤ 300 MB of heap, read as MiB (how Node reports heap); the note gives SI MB too.
 * Measured in a child process started with --expose-gc (heapUsed after full GCs, before vs after).
 * Run alone: `node --import tsx bench/snapshot-memory-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { SnapshotCache } from "../src/decisions/snapshot-cache.js";
import { type SnapshotRow, snapshotFromRow } from "../src/decisions/snapshot-store.js";
import { newId } from "../src/ids.js";
import { runChildJson } from "./lib/child.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";

export const MEMBERS = 100_000;
export const GRANTS_PER_MEMBER = 7;
export const HEAP_BUDGET_MIB = 300;
const MiB = 1024 * 1024;

const BENEFITS = [
  "ad_free",
  "hd_download_boost",
  "member_discount",
  "vip_zone",
  "monthly_gift",
  "cloud_storage",
  "early_access",
];

export interface SnapshotMemoryResult {
  members: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  heapDeltaMiB: number;
  bytesPerMember: number;
  cacheSize: number;
  rows: BudgetRow[];
}

/** The member's rows as the snapshot query returns them (json_agg of table rows), as JSON text. */
function rowsJson(memberId: string, i: number): string {
  const start = Date.UTC(2026, 0, 1) + i * 60_000;
  const end = start + 30 * 86_400_000;
  const iso = (t: number) => new Date(t).toISOString().replace("Z", "+00:00");
  const membershipId = newId("msh");
  const membership = {
    id: membershipId,
    member_id: memberId,
    tier_code: "vip",
    starts_at: iso(start),
    expires_at: iso(end),
    status: "active",
    source_order_id: newId("ord"),
    revoked_at: null,
    created_at: iso(start),
  };
  const grants = BENEFITS.map((benefit, g) => ({
    id: newId("grt"),
    member_id: memberId,
    membership_id: membershipId,
    benefit_code: benefit,
    tier_code: "vip",
    status: "active",
    effective_from: iso(g === 2 ? start + 86_400_000 : start),
    expires_at: iso(end),
    catalog_version: 3,
    claimed_at: g === 4 && i % 2 === 0 ? iso(start + 3_600_000) : null,
    toggled_on: g === 1 && i % 3 === 0,
    quota_used: g === 5 ? i % 500 : 0,
    ended_at: null,
    end_reason: null,
  }));
  return JSON.stringify({ memberships: [membership], grants, pending: [] });
}

function heapUsed(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** The measurement itself; needs --expose-gc. */
export async function measureInThisProcess(members = MEMBERS) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const memberIdOf = (i: number) => `member-${String(i).padStart(8, "0")}`;
  const load = async (memberId: string) => {
    const i = Number(memberId.slice(7));
    const related = JSON.parse(rowsJson(memberId, i)) as Pick<
      SnapshotRow,
      "memberships" | "grants" | "pending"
    >;
    return snapshotFromRow(memberId, {
      id: memberId,
      locale: i % 2 ? "en" : "zh-CN",
      timezone: "Asia/Shanghai",
      entitlements_version: 4,
      // Every member's app has reported itself once.
      session: {
        platform: "ios",
        version: "6.2.0",
        entitlements_version: 4,
        reported_at: "2026-11-24T01:00:00Z",
      },
      ...related,
    });
  };
  // Warm the code paths first so compiled code and interned strings are not counted as cache.
  const warm = new SnapshotCache(load, 1000);
  for (let i = 0; i < 1000; i++) await warm.get(memberIdOf(i));

  const before = heapUsed(gc);
  const cache = new SnapshotCache(load, members);
  for (let i = 0; i < members; i++) await cache.get(memberIdOf(i));
  const after = heapUsed(gc);
  const size = cache.stats().size;
  const sample = cache.peek(memberIdOf(members - 1));
  if (size !== members || sample?.grants.length !== GRANTS_PER_MEMBER || sample.memberships.length !== 1)
    throw new Error(`cache holds ${size} members`);
  return { before, after, size };
}

export async function benchSnapshotMemory(): Promise<SnapshotMemoryResult> {
  const m = await runChildJson<{ before: number; after: number; size: number }>(
    "snapshot-memory-bench.ts",
    ["--child"],
    { nodeArgs: ["--expose-gc"] },
  );
  const deltaMiB = (m.after - m.before) / MiB;
  const row = budgetRow({
    id: "5",
    name: `snapshot cache heap, ${fmtNumber(MEMBERS)} members (1 membership, ${GRANTS_PER_MEMBER} grants)`,
    measured: deltaMiB,
    unit: "MiB",
    direction: "max",
    budget: HEAP_BUDGET_MIB,
    note: `${fmtNumber((m.after - m.before) / MEMBERS)} B/member = ${((m.after - m.before) / 1e6).toFixed(1)} MB (10^6 B); heapUsed ${fmtNumber(m.before / MiB)} → ${fmtNumber(m.after / MiB)} MiB after full GCs`,
  });
  return {
    members: MEMBERS,
    heapBeforeMiB: m.before / MiB,
    heapAfterMiB: m.after / MiB,
    heapDeltaMiB: deltaMiB,
    bytesPerMember: (m.after - m.before) / MEMBERS,
    cacheSize: m.size,
    rows: [row],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--child")) {
    console.log(JSON.stringify(await measureInThisProcess()));
  } else {
    const r = await benchSnapshotMemory();
    for (const row of r.rows) console.log(formatRow(row));
  }
}
