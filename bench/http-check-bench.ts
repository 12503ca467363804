/**
 * POST /v1/check on a cached member against a bare node:http server answering the same bytes.
 * Budget (DESIGN.md): Perkwise ≥ 0.6 × the baseline's requests/s, same load generator, same run.
 * Both servers run in child processes; autocannon runs here, over the same connections and
 * pipelining, A-B-B-A after a warm-up of each. Run alone: `node --import tsx bench/http-check-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { type ChildServer, spawnServer } from "./lib/child.js";
import { cpuNote, LOAD, type LoadResult, loadProblem, measurePair } from "./lib/load.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export const CHECK_RATIO_BUDGET = 0.6;

/** The demo VIP, paid two days ago: an allowed decision with its grant, from a current iOS client. */
export const CHECK_BODY = JSON.stringify({
  memberId: "demo-vip",
  benefit: "vip_zone",
  context: { client: { platform: "ios", version: "6.2.0" } },
});

export interface HttpCheckResult {
  perkwise: LoadResult;
  baseline: LoadResult;
  /** Perkwise requests/s ÷ bare requests/s: the budgeted figure. */
  ratio: number;
  /** Bare CPU per request ÷ Perkwise CPU per request: the same comparison, immune to a saturated load generator. */
  cpuRatio: number | null;
  responseBytes: number;
  rows: BudgetRow[];
}

/** A demo Perkwise server in its own process (shared by the check and batch benchmarks). */
export function startDemoServer(): Promise<ChildServer<PerkwiseServerInfo>> {
  return spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", { BENCH_SERVER_CATALOG: "demo" });
}

export async function benchHttpCheck(server?: ChildServer<PerkwiseServerInfo>): Promise<HttpCheckResult> {
  const own = server ? null : await startDemoServer();
  const perkwise = (server ?? own)!;
  try {
    const headers = { authorization: `Bearer ${perkwise.info.apiKey}`, "content-type": "application/json" };
    // The first check loads the member into the snapshot cache; its bytes become the baseline's answer.
    const probe = await fetch(`${perkwise.info.url}/v1/check`, { method: "POST", headers, body: CHECK_BODY });
    const responseText = await probe.text();
    if (probe.status !== 200 || !JSON.parse(responseText).allowed)
      throw new Error(`probe check failed: ${probe.status} ${responseText}`);
    const responseBytes = Buffer.byteLength(responseText);

    const bare = await spawnServer<{ port: number }>("servers/bare-http-server.ts", {
      BENCH_SERVER_BODY: responseText,
    });
    let baseline: LoadResult;
    let measured: LoadResult;
    try {
      [baseline, measured] = await measurePair(
        {
          url: `http://127.0.0.1:${bare.info.port}/v1/check`,
          headers,
          body: CHECK_BODY,
          serverPid: bare.pid,
        },
        { url: `${perkwise.info.url}/v1/check`, headers, body: CHECK_BODY, serverPid: perkwise.pid },
      );
    } finally {
      await bare.stop();
    }

    const problem = loadProblem(measured) ?? loadProblem(baseline);
    const ratio = measured.requestsPerSec / baseline.requestsPerSec;
    const cpuRatio =
      measured.serverCpuUsPerRequest && baseline.serverCpuUsPerRequest
        ? baseline.serverCpuUsPerRequest / measured.serverCpuUsPerRequest
        : null;
    const row = budgetRow({
      id: "2",
      name: "POST /v1/check (cached member) vs bare node:http",
      measured: problem ? null : ratio,
      unit: "× bare",
      direction: "min",
      budget: CHECK_RATIO_BUDGET,
      note: problem
        ? `load run invalid: ${problem}`
        : `${fmtNumber(measured.requestsPerSec)} vs ${fmtNumber(baseline.requestsPerSec)} req/s, ` +
          `p99 ${measured.latencyP99Ms} vs ${baseline.latencyP99Ms} ms, ${responseBytes} B body, ` +
          `${LOAD.connections} conns × pipelining ${LOAD.pipelining}; Perkwise ${cpuNote(measured)}; ` +
          `bare ${cpuNote(baseline)}` +
          (cpuRatio === null ? "" : `; CPU-per-request ratio ${cpuRatio.toFixed(2)}`),
    });
    return { perkwise: measured, baseline, ratio, cpuRatio, responseBytes, rows: [row] };
  } finally {
    await own?.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchHttpCheck();
  for (const row of r.rows) console.log(formatRow(row));
}
