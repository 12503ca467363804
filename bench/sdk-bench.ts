/**
 * The SDK's local evaluator: decideCached() decisions/s on the demo members (loaded over HTTP from a
 * real server, then decided in memory), against the bare engine decide() on the same snapshots.
 * Budget (issue 6): ≥ 1,000,000 decisions/s. Run alone: `node --import tsx bench/sdk-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { startApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { DEMO_CATALOG } from "../src/demo/demo-catalog.js";
import { DEMO_MEMBERS, seedDemo } from "../src/demo/seed-demo.js";
import { decide } from "../src/engine/decide.js";
import { decisionContext } from "../src/engine/decision-context.js";
import { buildServer } from "../src/http/server.js";
import { createLocalEvaluator, type DecisionContextInput } from "../src/sdk/index.js";
import { type BudgetRow, budgetRow } from "./lib/report.js";

const BUDGET = 1_000_000;
const WARMUP = 300_000;
/** Per round; the two loops alternate A-B-B-A-A-B and each keeps its best round (other load only slows). */
const TIMED = 1_000_000;
const ROUNDS = 3;
const OPTIONS = {
  adminKey: "pwadmin_sdk_bench_0123456789",
  paymentSecret: `whsec_${Buffer.from("perkwise-sdk-bench-secret-32byte").toString("base64")}`,
};

export interface SdkBenchResult {
  rows: BudgetRow[];
  localPerSec: number;
  enginePerSec: number;
  decisions: number;
  allowedShare: number;
  checks: number;
}

function timed(run: (i: number) => boolean): { perSec: number; allowed: number } {
  let allowed = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TIMED; i++) if (run(i)) allowed++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSec: TIMED / seconds, allowed };
}

/** Best decisions/s of each loop over alternating rounds. */
function race(a: (i: number) => boolean, b: (i: number) => boolean) {
  for (let i = 0; i < WARMUP; i++) {
    a(i);
    b(i);
  }
  const best = { a: { perSec: 0, allowed: 0 }, b: { perSec: 0, allowed: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const);
    for (const which of order) {
      const r = timed(which === "a" ? a : b);
      if (r.perSec > best[which].perSec) best[which] = r;
    }
  }
  return best;
}

/** Seeds the demo, serves it, loads a local evaluator and times it; a few seconds. */
export async function benchSdk(): Promise<SdkBenchResult> {
  const database = await openDatabase({ memory: true });
  await migrateToLatest(database);
  await seedDemo({ database, ...OPTIONS, now: Date.now() });
  const app = await startApp({ database, clock: systemClock, ...OPTIONS });
  const server = await buildServer(app, { logLevel: "silent" });
  const url = await server.listen({ port: 0, host: "127.0.0.1" });
  const members = DEMO_MEMBERS.map((m) => m.id);
  const evaluator = createLocalEvaluator({
    url,
    apiKey: OPTIONS.adminKey,
    members,
    follow: false,
    staleAfterMs: 3_600_000,
  });
  try {
    await evaluator.ready();
    const contexts: (DecisionContextInput | undefined)[] = [
      undefined,
      { product: { category: "books" } },
      { client: { platform: "ios", version: "5.0.0" } },
    ];
    const checks = members.flatMap((memberId) =>
      DEMO_CATALOG.benefits.flatMap((b) =>
        contexts.map((context) => ({ memberId, benefit: b.code, context })),
      ),
    );
    const n = checks.length;
    const localLoop = (i: number) => {
      const c = checks[i % n];
      return evaluator.decideCached(c.memberId, c.benefit, c.context).allowed;
    };
    // The same decisions straight from the engine, on the same snapshots and catalog (the server's path).
    const catalog = app.catalog.require();
    const snapshots = await Promise.all(members.map((id) => app.cache.get(id)));
    const prepared = checks.map((c, i) => ({
      snapshot: snapshots[Math.floor(i / (n / members.length))],
      benefit: c.benefit,
      input: c.context,
    }));
    const engineLoop = (i: number) => {
      const c = prepared[i % n];
      return decide(c.snapshot, catalog, c.benefit, decisionContext(c.snapshot, c.input, null, Date.now()))
        .allowed;
    };
    const { a: local, b: engine } = race(localLoop, engineLoop);
    const ratio = local.perSec / engine.perSec;
    return {
      localPerSec: local.perSec,
      enginePerSec: engine.perSec,
      decisions: TIMED,
      allowedShare: local.allowed / TIMED,
      checks: n,
      rows: [
        budgetRow({
          id: "13",
          name: "SDK local evaluator decideCached()",
          measured: local.perSec,
          unit: "decisions/s",
          direction: "min",
          budget: BUDGET,
          note: `${members.length} demo members × ${DEMO_CATALOG.benefits.length} benefits × ${contexts.length} contexts, ${((local.allowed / TIMED) * 100).toFixed(0)}% allowed; ${ratio.toFixed(2)} × the bare engine (${Math.round(engine.perSec).toLocaleString("en-US")}/s)`,
        }),
      ],
    };
  } finally {
    await evaluator.close();
    await server.close();
    await database.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchSdk();
  console.log(JSON.stringify({ ...r, rows: undefined }, null, 2));
}
