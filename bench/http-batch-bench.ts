/**
 * POST /v1/check/batch with 100 checks per request on cached members.
 * Budget (DESIGN.md): ≥ 500,000 decisions/s (requests/s × 100). Same setup as the check benchmark:
 * the demo server in its own process, autocannon here. Run alone: `node --import tsx bench/http-batch-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { startDemoServer } from "./http-check-bench.js";
import type { ChildServer } from "./lib/child.js";
import { cpuNote, LOAD, type LoadResult, loadProblem, measureLoad } from "./lib/load.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export const BATCH_SIZE = 100;
export const BATCH_DECISIONS_BUDGET = 500_000;

const currentClient = { platform: "ios", version: "6.2.0" };
const oldClient = { platform: "android", version: "5.0.0" };

/**
 * 100 checks over the demo's paid members (VIP, SVIP with the boost on and the gift claimed) and one
 * expired member, every benefit, with and without context: allowed and denied decisions mixed.
 */
export function batchChecks(): Array<Record<string, unknown>> {
  const members = ["demo-vip", "demo-svip", "demo-vip", "demo-svip", "demo-expired"];
  const checks: Array<Record<string, unknown>> = [
    { benefit: "ad_free" },
    { benefit: "hd_download_boost" },
    { benefit: "member_discount", context: { product: { id: "b1", category: "books", onSale: false } } },
    { benefit: "member_discount", context: { product: { id: "m1", category: "music", onSale: false } } },
    { benefit: "vip_zone", context: { client: currentClient } },
    { benefit: "vip_zone", context: { client: oldClient } },
    { benefit: "monthly_gift" },
    { benefit: "cloud_storage", context: { usage: 100 } },
    { benefit: "cloud_storage_plus", context: { usage: 100 } },
    { benefit: "svip_concierge", context: { channel: "official_app" } },
  ];
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; out.length < BATCH_SIZE; i++) {
    out.push({
      memberId: members[i % members.length],
      ...checks[Math.floor(i / members.length) % checks.length],
    });
  }
  return out;
}

export interface HttpBatchResult {
  load: LoadResult;
  decisionsPerSec: number;
  allowedShare: number;
  responseBytes: number;
  rows: BudgetRow[];
}

export async function benchHttpBatch(server?: ChildServer<PerkwiseServerInfo>): Promise<HttpBatchResult> {
  const own = server ? null : await startDemoServer();
  const perkwise = (server ?? own)!;
  try {
    const url = `${perkwise.info.url}/v1/check/batch`;
    const headers = { authorization: `Bearer ${perkwise.info.apiKey}`, "content-type": "application/json" };
    const body = JSON.stringify({ checks: batchChecks() });
    // The probe fills the snapshot cache for every member of the batch.
    const probe = await fetch(url, { method: "POST", headers, body });
    const text = await probe.text();
    if (probe.status !== 200) throw new Error(`probe batch failed: ${probe.status} ${text}`);
    const results = JSON.parse(text).results as Array<{ allowed: boolean }>;
    if (results.length !== BATCH_SIZE) throw new Error(`batch answered ${results.length} results`);
    const allowedShare = results.filter((r) => r.allowed).length / results.length;

    const load = await measureLoad({ url, headers, body, serverPid: perkwise.pid });
    const problem = loadProblem(load);
    const decisionsPerSec = load.requestsPerSec * BATCH_SIZE;
    const row = budgetRow({
      id: "3",
      name: `POST /v1/check/batch (${BATCH_SIZE} checks/request)`,
      measured: problem ? null : decisionsPerSec,
      unit: "decisions/s",
      direction: "min",
      budget: BATCH_DECISIONS_BUDGET,
      note: problem
        ? `load run invalid: ${problem}`
        : `${fmtNumber(load.requestsPerSec)} req/s, p99 ${load.latencyP99Ms} ms, ${(allowedShare * 100).toFixed(0)}% allowed, ${fmtNumber(Buffer.byteLength(text))} B/response; ${LOAD.connections} conns × pipelining ${LOAD.pipelining}; ${cpuNote(load)}`,
    });
    return { load, decisionsPerSec, allowedShare, responseBytes: Buffer.byteLength(text), rows: [row] };
  } finally {
    await own?.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchHttpBatch();
  for (const row of r.rows) console.log(formatRow(row));
}
