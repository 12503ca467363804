/**
 * `npm run bench`: every performance budget of DESIGN.md, measured on this machine, with a verdict
 * each; results also go to bench/results/latest.json. Select some with their names, e.g.
 * `npm run bench -- decide memory` (decide, memory, check, batch, payments, providers, lifecycle, notices, reconcile, diagnosis,
 * checkout, cluster, events, sdk, tickets).
 * Exits 1 when a budget fails or a benchmark errors.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { runCheckoutAndDeliverySteps } from "./checkout-delivery-steps.js";
import { benchDecide } from "./decide-bench.js";
import { benchDiagnosis, DIAGNOSIS_SETUP } from "./diagnosis-bench.js";
import { benchHttpBatch } from "./http-batch-bench.js";
import { benchHttpCheck, startDemoServer } from "./http-check-bench.js";
import { LOAD } from "./lib/load.js";
import {
  type BudgetRow,
  budgetRow,
  formatRow,
  machineBusy,
  machineCpuTicks,
  machineInfo,
  machineLoad,
  ratioOf,
  summaryTable,
} from "./lib/report.js";
import { benchGrantActivation } from "./lifecycle-bench.js";
import { benchNotices, NOTICE_SETUP } from "./notice-bench.js";
import { benchDatabaseUrl, benchPayments, PAYMENT_SETUP } from "./payment-bench.js";
import { benchProviderIngest, PROVIDER_INGEST_RATIO } from "./provider-ingest-bench.js";
import { benchReconcile, RECONCILE_BUDGET_SECONDS } from "./reconcile-bench.js";
import { benchSnapshotMemory } from "./snapshot-memory-bench.js";
import { runTicketSteps } from "./ticket-steps.js";

const ALL = [
  "decide",
  "memory",
  "check",
  "batch",
  "payments",
  "providers",
  "lifecycle",
  "notices",
  "reconcile",
  "diagnosis",
  "checkout",
  "cluster",
  "events",
  "sdk",
  "tickets",
] as const;
type Name = (typeof ALL)[number];
const selected = new Set<Name>(
  process.argv.slice(2).length
    ? (process.argv.slice(2).filter((a) => ALL.includes(a as Name)) as Name[])
    : ALL,
);

const machine = machineInfo();
const startedAt = new Date();
console.log("Perkwise benchmarks — budgets from DESIGN.md “Performance budgets”");
console.log(`machine: ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`);
console.log(`node:    ${machine.node}   started ${startedAt.toISOString()}`);
console.log(
  `http:    autocannon, ${LOAD.connections} connections × pipelining ${LOAD.pipelining}, ${LOAD.warmupSeconds} s warm-up + ${LOAD.durationSeconds} s per server (A-B-B-A); servers in child processes, LOG_LEVEL=silent`,
);
const loadAtStart = machineLoad();
// What the machine does right now (1 s of /proc/stat), before we add any load of our own.
const ticks0 = machineCpuTicks();
await new Promise((resolve) => setTimeout(resolve, 1000));
const idleBusy = machineBusy(ticks0, machineCpuTicks());
console.log(
  `load:    1-min load average ${loadAtStart.loadAverage1m.toFixed(2)}` +
    (idleBusy === null ? "" : `, CPU ${(idleBusy * 100).toFixed(0)}% busy before the run`),
);
if (idleBusy !== null && idleBusy > 0.2)
  console.log("WARNING: other work is running on this machine; throughput figures will be low and noisy.");
console.log("");

const rows: BudgetRow[] = [];
const details: Record<string, unknown> = {};

/** Runs one benchmark; a crash becomes ERROR rows instead of ending the run. */
async function step(
  title: string,
  fallback: Omit<BudgetRow, "verdict" | "measured">[],
  run: () => Promise<BudgetRow[]>,
) {
  const t0 = performance.now();
  console.log(`▶ ${title}`);
  let produced: BudgetRow[];
  try {
    produced = await run();
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    produced = fallback.map((f) => budgetRow({ ...f, measured: null, note: `error: ${message}` }));
    details[title] = { error: (error as Error).stack ?? String(error) };
  }
  for (const row of produced) console.log(formatRow(row));
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  rows.push(...produced);
}

/** A benchmark whose budget is for PostgreSQL: SKIP rows, not a failure, when no PostgreSQL URL is set. */
async function postgresStep(
  title: string,
  fallback: Omit<BudgetRow, "verdict" | "measured">[],
  run: () => Promise<BudgetRow[]>,
) {
  if (benchDatabaseUrl()) return step(title, fallback, run);
  const skipped = fallback.map((f) =>
    budgetRow({ ...f, measured: null, verdict: "SKIP", note: "set BENCH_DATABASE_URL or TEST_DATABASE_URL" }),
  );
  for (const row of skipped) console.log(formatRow(row));
  rows.push(...skipped);
  console.log("");
}

if (selected.has("decide")) {
  await step(
    "1. in-process decide() (bench/decide-bench.ts)",
    [
      { id: "1a", name: "decide() throughput", unit: "decisions/s", direction: "min", budget: 1_000_000 },
      { id: "1b", name: "decide() p99 latency", unit: "ns", direction: "max", strict: true, budget: 5_000 },
    ],
    async () => {
      const r = await benchDecide();
      details.decide = r;
      const shared = `${r.decisions.toLocaleString("en-US")} decisions, ${(r.allowedShare * 100).toFixed(0)}% allowed`;
      return [
        budgetRow({
          id: "1a",
          name: "decide() throughput, 1 member × 10 benefits",
          measured: r.opsPerSec,
          unit: "decisions/s",
          direction: "min",
          budget: r.budget.opsPerSec,
          note: shared,
        }),
        budgetRow({
          id: "1b",
          name: "decide() p99 latency",
          measured: r.p99Ns,
          unit: "ns",
          direction: "max",
          strict: true,
          budget: r.budget.p99Ns,
          note: `p50 ${r.p50Ns} ns, p99.9 ${r.p999Ns} ns, ${r.latencySamples.toLocaleString("en-US")} samples incl. ${r.timerOverheadNs} ns timer`,
        }),
      ];
    },
  );
}

if (selected.has("memory")) {
  await step(
    "5. snapshot cache memory (child process, --expose-gc)",
    [{ id: "5", name: "snapshot cache heap, 100,000 members", unit: "MiB", direction: "max", budget: 300 }],
    async () => {
      const r = await benchSnapshotMemory();
      details.snapshotMemory = r;
      return r.rows;
    },
  );
}

if (selected.has("check") || selected.has("batch")) {
  let server: Awaited<ReturnType<typeof startDemoServer>> | null = null;
  try {
    server = await startDemoServer();
  } catch (error) {
    console.log(`demo server did not start: ${(error as Error).message}`);
  }
  if (selected.has("check")) {
    await step(
      "2. POST /v1/check vs bare node:http (demo catalog, PGlite in memory)",
      [{ id: "2", name: "POST /v1/check vs bare node:http", unit: "× bare", direction: "min", budget: 0.6 }],
      async () => {
        if (!server) throw new Error("demo server did not start");
        const r = await benchHttpCheck(server);
        details.httpCheck = r;
        return r.rows;
      },
    );
  }
  if (selected.has("batch")) {
    await step(
      "3. POST /v1/check/batch, 100 checks per request",
      [{ id: "3", name: "POST /v1/check/batch", unit: "decisions/s", direction: "min", budget: 500_000 }],
      async () => {
        if (!server) throw new Error("demo server did not start");
        const r = await benchHttpBatch(server);
        details.httpBatch = r;
        return r.rows;
      },
    );
  }
  await server?.stop();
}

if (selected.has("payments")) {
  await step(
    "4. payment ingestion + read-your-writes, PGlite in memory",
    [
      { id: "4a", name: "payment ingest (PGlite)", unit: "events/s", direction: "min", budget: 200 },
      { id: "4b", name: "read-your-writes (PGlite)", unit: "violations", direction: "max", budget: 0 },
    ],
    async () => {
      const r = await benchPayments("pglite");
      details.paymentsPglite = r;
      return r.rows;
    },
  );
  const pgFallback = [
    {
      id: "4c",
      name: "payment ingest (PostgreSQL)",
      unit: "events/s",
      direction: "min" as const,
      budget: 1_000,
    },
    {
      id: "4d",
      name: "read-your-writes (PostgreSQL)",
      unit: "violations",
      direction: "max" as const,
      budget: 0,
    },
  ];
  await postgresStep(
    "4. payment ingestion + read-your-writes, PostgreSQL (fresh schema)",
    pgFallback,
    async () => {
      const r = await benchPayments("postgres");
      details.paymentsPostgres = r;
      return r.rows;
    },
  );
}

if (selected.has("providers")) {
  await step(
    "4e–g. payment providers' notifications vs Standard Webhooks, one server, PGlite (bench/provider-ingest-bench.ts)",
    ["Alipay", "WeChat Pay", "Stripe"].map((name, i) => ({
      id: `4${"efg"[i]}`,
      name: `${name} notify ingest ÷ Standard Webhooks (PGlite)`,
      unit: "×",
      direction: "min" as const,
      budget: PROVIDER_INGEST_RATIO,
    })),
    async () => {
      const r = await benchProviderIngest();
      details.providerIngest = r;
      return r.rows;
    },
  );
}

if (selected.has("lifecycle")) {
  const fallback = [
    {
      id: "7",
      name: "100,000 scheduled grants activated (PostgreSQL)",
      unit: "s",
      direction: "max" as const,
      budget: 60,
    },
  ];
  await postgresStep("7. scheduled grant activation, PostgreSQL (fresh schema)", fallback, async () => {
    const r = await benchGrantActivation();
    details.grantActivation = { ...r, rows: undefined };
    return r.rows;
  });
}

if (selected.has("notices")) {
  const engine = benchDatabaseUrl() ? "PostgreSQL, fresh schema" : "PGlite in memory: set BENCH_DATABASE_URL";
  await step(
    `6. rule-change notice fan-out, ${NOTICE_SETUP.members.toLocaleString("en-US")} members (${engine})`,
    [{ id: "6", name: "notice fan-out", unit: "s", direction: "max", budget: NOTICE_SETUP.budgetSeconds }],
    async () => {
      const r = await benchNotices();
      details.notices = r;
      return r.rows;
    },
  );
}

if (selected.has("reconcile")) {
  const fallback = [
    {
      id: "8",
      name: "reconcile dry run, 1,000,000 members × 10 grants (PostgreSQL)",
      unit: "s",
      direction: "max" as const,
      budget: RECONCILE_BUDGET_SECONDS,
    },
  ];
  // PostgreSQL only: PGlite is not where a million members live.
  await postgresStep(
    "8. reconciliation, 1,000,000 members × 10 grants, PostgreSQL (fresh schema)",
    fallback,
    async () => {
      const r = await benchReconcile(benchDatabaseUrl()!);
      details.reconcile = { ...r, rows: undefined };
      return r.rows;
    },
  );
}

if (selected.has("diagnosis")) {
  const fallback = [
    {
      id: "9",
      name: "diagnosis p99, member with a 200-entry timeline (PostgreSQL)",
      unit: "ms",
      direction: "max" as const,
      budget: DIAGNOSIS_SETUP.budgetP99Ms,
    },
  ];
  await postgresStep("9. diagnosis latency, PostgreSQL (fresh schema)", fallback, async () => {
    const r = await benchDiagnosis();
    details.diagnosis = { ...r, rows: undefined };
    return r.rows;
  });
}

await runCheckoutAndDeliverySteps((name) => selected.has(name as Name), { step, postgresStep, details });
await runTicketSteps((name) => selected.has(name as Name), { step, postgresStep, details });

const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000;
console.log(
  `Summary — ${machine.cpu} × ${machine.cores} cores, node ${machine.node}, ${elapsedSeconds.toFixed(0)} s; ratio = measured ÷ budget`,
);
console.log(summaryTable(rows));

const resultsDir = new URL("./results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  new URL("latest.json", resultsDir),
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      elapsedSeconds,
      machine,
      loadAverage1m: { start: loadAtStart.loadAverage1m, end: machineLoad().loadAverage1m },
      cpuBusyBeforeRun: idleBusy,
      load: LOAD,
      paymentSetup: PAYMENT_SETUP,
      budgets: rows.map((r) => ({ ...r, ratio: ratioOf(r) })),
      details,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nresults: bench/results/latest.json`);
if (rows.some((r) => r.verdict === "FAIL" || r.verdict === "ERROR")) process.exitCode = 1;
