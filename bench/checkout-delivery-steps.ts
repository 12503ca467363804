/**
 * The benchmarks of checkout evaluation (10), several nodes (11), event streams (12) and the SDK's
 * local evaluator (13), run by bench/run.ts through its step runner.
 */
import { benchCheckout, CHECKOUT_SETUP } from "./checkout-bench.js";
import { benchCluster, CLUSTER_SETUP } from "./cluster-bench.js";
import {
  benchConnections,
  benchEventLatencyOneNode,
  benchEventLatencyTwoNodes,
  connectionRows,
  EVENTS_SETUP,
  latencyRows,
} from "./events-bench.js";
import { benchHttpEvaluate, EVALUATE_BUDGET_RPS } from "./http-evaluate-bench.js";
import type { BudgetRow } from "./lib/report.js";
import { benchDatabaseUrl } from "./payment-bench.js";
import { benchSdk } from "./sdk-bench.js";

type Step = (
  title: string,
  fallback: Omit<BudgetRow, "verdict" | "measured">[],
  run: () => Promise<BudgetRow[]>,
) => Promise<void>;

/** How run.ts runs a benchmark: `step`, `postgresStep` (SKIP without PostgreSQL), and where details go. */
export interface StepRunner {
  step: Step;
  postgresStep: Step;
  details: Record<string, unknown>;
}

export async function runCheckoutAndDeliverySteps(
  has: (name: string) => boolean,
  { step, postgresStep, details }: StepRunner,
): Promise<void> {
  if (has("checkout")) {
    await step(
      `10. in-process checkout evaluation, ${CHECKOUT_SETUP.lines}-line cart × ${CHECKOUT_SETUP.coupons} coupons (bench/checkout-bench.ts)`,
      [
        {
          id: "10",
          name: "checkout evaluate p99 (in process)",
          unit: "ms",
          direction: "max",
          budget: CHECKOUT_SETUP.budgetP99Ms,
        },
      ],
      async () => {
        const r = await benchCheckout();
        details.checkout = { ...r, rows: undefined };
        return r.rows;
      },
    );
    await step(
      "10b. POST /v1/checkout/evaluate, demo VIP and the demo's sample cart (bench/http-evaluate-bench.ts)",
      [
        {
          id: "10b",
          name: "POST /v1/checkout/evaluate",
          unit: "req/s",
          direction: "min",
          budget: EVALUATE_BUDGET_RPS,
        },
      ],
      async () => {
        const r = await benchHttpEvaluate();
        details.checkoutHttp = r.result;
        return r.rows;
      },
    );
  }

  if (has("cluster")) {
    const fallback = (["p50", "p99"] as const).map((p, i) => ({
      id: `11${"ab"[i]}`,
      name: `payment on node A → check on node B allowed, ${p} (PostgreSQL)`,
      unit: "ms",
      direction: "max" as const,
      budget: p === "p50" ? CLUSTER_SETUP.budgetP50Ms : CLUSTER_SETUP.budgetP99Ms,
    }));
    await postgresStep(
      "11. two nodes: payment on A → check on B, PostgreSQL (fresh schema)",
      fallback,
      async () => {
        const r = await benchCluster(benchDatabaseUrl()!);
        details.cluster = { ...r, rows: undefined };
        return r.rows;
      },
    );
  }

  if (has("events")) {
    const latency = (ids: [string, string], where: string) =>
      [0, 1].map((i) => ({
        id: ids[i],
        name: `payment → SSE entitlements.changed ${i === 0 ? "p50" : "p99"}, ${where}`,
        unit: "ms",
        direction: "max" as const,
        budget: i === 0 ? 50 : 250,
      }));
    await step(
      "12. events: payment → SSE, one node (bench/events-bench.ts)",
      latency(["12a", "12b"], "one node (PGlite)"),
      async () => {
        const r = await benchEventLatencyOneNode();
        details.eventsOneNode = r;
        return latencyRows(r, ["12a", "12b"], "one node (PGlite)");
      },
    );
    await postgresStep(
      "12. events: payment on node A → SSE on node B, PostgreSQL (fresh schema)",
      latency(["12c", "12d"], "node A → node B (PostgreSQL)"),
      async () => {
        const r = await benchEventLatencyTwoNodes();
        details.eventsTwoNodes = r;
        return latencyRows(r, ["12c", "12d"], "node A → node B (PostgreSQL)");
      },
    );
    await step(
      "12. events: 10,000 concurrent SSE streams on one process",
      [
        {
          id: "12e",
          name: "concurrent SSE streams on one process, each receiving the next event",
          unit: "streams",
          direction: "min",
          budget: EVENTS_SETUP.connections,
        },
      ],
      async () => {
        const r = await benchConnections();
        details.eventsConnections = r;
        return connectionRows(r);
      },
    );
  }

  if (has("sdk")) {
    await step(
      "13. SDK local evaluator, decideCached() (bench/sdk-bench.ts)",
      [
        {
          id: "13",
          name: "SDK local evaluator decideCached()",
          unit: "decisions/s",
          direction: "min",
          budget: 1_000_000,
        },
      ],
      async () => {
        const r = await benchSdk();
        details.sdk = { ...r, rows: undefined };
        return r.rows;
      },
    );
  }
}
