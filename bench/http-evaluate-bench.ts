/**
 * POST /v1/checkout/evaluate over HTTP: the demo VIP (this month's five coupons claimed) and the
 * demo's sample cart, on the demo server in its own process, autocannon here.
 * Budget (the coupons issue): ≥ 2,000 requests/s. Run alone: `node --import tsx bench/http-evaluate-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { DEMO_SAMPLE_CART } from "../src/demo/demo-catalog.js";
import { startDemoServer } from "./http-check-bench.js";
import { cpuNote, LOAD, type LoadResult, loadProblem, measureLoad } from "./lib/load.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";

export const EVALUATE_BUDGET_RPS = 2000;
const BODY = JSON.stringify({ memberId: "demo-vip", cart: DEMO_SAMPLE_CART });

export async function benchHttpEvaluate(): Promise<{ result: LoadResult; rows: BudgetRow[] }> {
  const server = await startDemoServer();
  try {
    const url = `${server.info.url}/v1/checkout/evaluate`;
    const headers = { authorization: `Bearer ${server.info.apiKey}`, "content-type": "application/json" };
    // The probe also issues the member's coupons and caches the snapshot, as the first checkout would.
    const probe = await fetch(url, { method: "POST", headers, body: BODY });
    const answer = (await probe.json()) as { coupons?: unknown[]; best?: { coupons: string[] } };
    if (probe.status !== 200 || answer.coupons?.length !== 5 || answer.best?.coupons.length !== 1)
      throw new Error(`probe evaluation failed: ${probe.status} ${JSON.stringify(answer)}`);
    const result = await measureLoad({ url, headers, body: BODY, serverPid: server.pid });
    const problem = loadProblem(result);
    const row = budgetRow({
      id: "10b",
      name: "POST /v1/checkout/evaluate (demo VIP, 3 lines, 5 coupons)",
      measured: problem ? null : result.requestsPerSec,
      unit: "req/s",
      direction: "min",
      budget: EVALUATE_BUDGET_RPS,
      note: problem
        ? `load run invalid: ${problem}`
        : `${fmtNumber(result.requestsPerSec)} req/s, p99 ${result.latencyP99Ms} ms, ` +
          `${LOAD.connections} conns × pipelining ${LOAD.pipelining}; ${cpuNote(result)}`,
    });
    return { result, rows: [row] };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of (await benchHttpEvaluate()).rows) console.log(formatRow(row));
}
