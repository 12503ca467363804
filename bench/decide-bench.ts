/**
 * In-process decide() throughput and latency for one member with 10 benefits, mixed allowed and denied.
 * Budget (DESIGN.md): ≥ 1,000,000 decisions/s on one core, p99 under 5 µs.
 * Run alone: `node --import tsx bench/decide-bench.ts`.
 */
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { decide } from "../src/engine/decide.js";
import { activeMember, context, fixtureCatalog, T } from "../src/engine/engine-fixtures.js";
import type { Decision, DecisionContext } from "../src/engine/engine-types.js";

export interface DecideBenchResult {
  name: string;
  opsPerSec: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  /** Cost of one hrtime.bigint() pair, included in the latency figures. */
  timerOverheadNs: number;
  decisions: number;
  latencySamples: number;
  allowedShare: number;
  budget: { opsPerSec: number; p99Ns: number };
  pass: boolean;
  machine: string;
  node: string;
}

const WARMUP = 300_000;
const TIMED = 3_000_000;
const SAMPLES = 200_000;

function scenario() {
  const catalog = fixtureCatalog();
  const hd = "hd_download_boost";
  const snapshot = activeMember(catalog, "vip");
  // Switch the boost on so it is allowed; the monthly gift stays unclaimed (denied).
  for (const g of snapshot.grants) if (g.benefit === hd) g.toggledOn = true;
  const currentClient = { platform: "ios", version: "6.2.0", entitlementsVersion: 17 };
  const oldClient = { platform: "ios", version: "5.1.0", entitlementsVersion: 16 };
  const at = T.now;
  const checks: Array<[string, DecisionContext]> = [
    ["ad_free", context({ at, locale: "zh-CN", client: currentClient })],
    [hd, context({ at, locale: "en" })],
    ["cloud_storage", context({ at, locale: "zh-CN", client: oldClient })],
    [
      "member_discount",
      context({ at, locale: "en", product: { id: "b1", category: "books", onSale: false } }),
    ],
    ["vip_zone", context({ at, locale: "zh-CN", client: oldClient })],
    ["monthly_gift", context({ at, locale: "en" })],
    ["app_exclusive", context({ at, locale: "zh-CN", channel: "official_web" })],
    ["early_access", context({ at, locale: "en", client: currentClient })],
    ["mobile_pip", context({ at, locale: "zh-CN", client: currentClient })],
    ["priority_support", context({ at, locale: "en" })],
  ];
  return { catalog, snapshot, checks };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Runs the benchmark; a few seconds. */
export async function benchDecide(): Promise<DecideBenchResult> {
  const { catalog, snapshot, checks } = scenario();
  const n = checks.length;
  const codes = checks.map((c) => c[0]);
  const ctxs = checks.map((c) => c[1]);
  let allowed = 0;
  let sink = 0;
  let last: Decision | null = null;

  for (let i = 0; i < WARMUP; i++) {
    last = decide(snapshot, catalog, codes[i % n], ctxs[i % n]);
    sink += last.reasons.length;
  }

  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TIMED; i++) {
    last = decide(snapshot, catalog, codes[i % n], ctxs[i % n]);
    if (last.allowed) allowed++;
  }
  const elapsedNs = Number(process.hrtime.bigint() - t0);

  let overhead = 0n;
  for (let i = 0; i < 10_000; i++) {
    const a = process.hrtime.bigint();
    overhead += process.hrtime.bigint() - a;
  }
  const timerOverheadNs = Number(overhead) / 10_000;

  const latencies = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const a = process.hrtime.bigint();
    last = decide(snapshot, catalog, codes[i % n], ctxs[i % n]);
    latencies[i] = Number(process.hrtime.bigint() - a);
    sink += last.reasons.length;
  }
  latencies.sort();
  if (sink === 0 || last === null) throw new Error("decisions were optimized away");

  const opsPerSec = Math.round(TIMED / (elapsedNs / 1e9));
  const p99Ns = percentile(latencies, 0.99);
  const budget = { opsPerSec: 1_000_000, p99Ns: 5_000 };
  return {
    name: "decide() — 1 member, 10 benefits, mixed allowed/denied",
    opsPerSec,
    p50Ns: percentile(latencies, 0.5),
    p99Ns,
    p999Ns: percentile(latencies, 0.999),
    timerOverheadNs: Math.round(timerOverheadNs),
    decisions: TIMED,
    latencySamples: SAMPLES,
    allowedShare: allowed / TIMED,
    budget,
    pass: opsPerSec >= budget.opsPerSec && p99Ns < budget.p99Ns,
    machine: `${cpus()[0]?.model ?? "unknown cpu"} × ${cpus().length}`,
    node: process.version,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchDecide();
  console.log(
    `${r.name}: ${r.opsPerSec.toLocaleString("en-US")} decisions/s, p50 ${r.p50Ns} ns, p99 ${r.p99Ns} ns, ` +
      `p99.9 ${r.p999Ns} ns (timer ${r.timerOverheadNs} ns incl.), allowed ${(r.allowedShare * 100).toFixed(0)}% ` +
      `— ${r.pass ? "PASS" : "FAIL"} [${r.machine}, node ${r.node}]`,
  );
}
