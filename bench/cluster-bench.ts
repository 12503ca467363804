/**
 * Two Perkwise nodes (child processes) on one PostgreSQL schema: a payment event posted to node A, then
 * checks on node B until it answers allowed. Node B has the member's PAYMENT_PENDING snapshot cached
 * first, so an allowed answer means A's commit message (LISTEN/NOTIFY) reached B and dropped it.
 * Budget (issue 6): p50 ≤ 50 ms, p99 ≤ 250 ms over 1,000 payments.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { openDatabase } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { withSchema } from "./lib/bench-schema.js";
import { type ChildServer, spawnServer } from "./lib/child.js";
import { JsonClient, pool } from "./lib/http-client.js";
import { type BudgetRow, budgetRow } from "./lib/report.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export const CLUSTER_SETUP = { payments: 1_000, budgetP50Ms: 50, budgetP99Ms: 250, giveUpMs: 5_000 };

export interface ClusterBenchResult {
  payments: number;
  /** Payment posted to A → first allowed check on B. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** A's answer to the payment → first allowed check on B: the propagation alone. */
  propagationP50Ms: number;
  propagationP99Ms: number;
  /** Share of payments whose very first check on B (sent right after A answered) was already allowed. */
  firstCheckAllowed: number;
  rows: BudgetRow[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export async function benchCluster(url: string): Promise<ClusterBenchResult> {
  return withSchema(url, async (schema) => {
    const database = await openDatabase({ url, schema, poolSize: 2 });
    await migrateToLatest(database);
    await database.close();
    const adminKey = `pwadmin_${randomBytes(24).toString("base64url")}`;
    const paymentSecret = `whsec_${randomBytes(32).toString("base64")}`;
    const env = {
      BENCH_SERVER_DATABASE_URL: url,
      BENCH_SERVER_DATABASE_SCHEMA: schema,
      BENCH_SERVER_ADMIN_KEY: adminKey,
      BENCH_SERVER_PAYMENT_SECRET: paymentSecret,
      BENCH_SERVER_CATALOG: "demo",
    };
    // One after the other: the first seeds the demo data, the second finds it there.
    const nodes: ChildServer<PerkwiseServerInfo>[] = [];
    try {
      nodes.push(await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", env));
      nodes.push(await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", env));
      const [a, b] = nodes.map((n) => new JsonClient(n.info.url, 8));
      const auth = { authorization: `Bearer ${adminKey}`, "content-type": "application/json" };
      const check = async (memberId: string) =>
        (await b.send("POST", "/v1/check", JSON.stringify({ memberId, benefit: "ad_free" }), auth)).body;

      // Members with a pending order, made on A; B answers PAYMENT_PENDING and caches that.
      const members = Array.from({ length: CLUSTER_SETUP.payments }, (_, i) => `cluster-bench-${i}`);
      const orders = new Map<string, { orderId: string; amount: number }>();
      await pool(members, 8, async (memberId) => {
        await a.send("PUT", `/v1/members/${memberId}`, JSON.stringify({ locale: "en" }), auth);
        const order = await a.send(
          "POST",
          "/v1/orders",
          JSON.stringify({ memberId, plan: "vip_month" }),
          auth,
        );
        if (order.status !== 201) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
        orders.set(memberId, { orderId: order.body.orderId, amount: order.body.amount.amount });
        const pending = await check(memberId);
        if (pending.reasons?.[0]?.code !== "PAYMENT_PENDING")
          throw new Error(`expected PAYMENT_PENDING on B: ${JSON.stringify(pending)}`);
      });

      const webhook = new Webhook(paymentSecret);
      const total: number[] = [];
      const propagation: number[] = [];
      let firstAllowed = 0;
      for (const [i, memberId] of members.entries()) {
        const { orderId, amount } = orders.get(memberId)!;
        const raw = JSON.stringify({ type: "payment.succeeded", data: { orderId, amount } });
        const webhookId = `msg_cluster_${i}`;
        const now = new Date();
        const headers = {
          "content-type": "application/json",
          "webhook-id": webhookId,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": webhook.sign(webhookId, now, raw),
        };
        const sent = performance.now();
        const paid = await a.send("POST", "/v1/payments/events", raw, headers);
        if (paid.body?.outcome !== "applied") throw new Error(`payment: ${JSON.stringify(paid.body)}`);
        const answered = performance.now();
        for (let attempt = 0; ; attempt++) {
          if ((await check(memberId)).allowed === true) {
            if (attempt === 0) firstAllowed++;
            break;
          }
          if (performance.now() - sent > CLUSTER_SETUP.giveUpMs)
            throw new Error(`node B still denies ${memberId} after ${CLUSTER_SETUP.giveUpMs} ms`);
        }
        const done = performance.now();
        total.push(done - sent);
        propagation.push(done - answered);
      }
      a.close();
      b.close();
      total.sort((x, y) => x - y);
      propagation.sort((x, y) => x - y);
      const result = {
        payments: total.length,
        p50Ms: percentile(total, 0.5),
        p99Ms: percentile(total, 0.99),
        maxMs: total.at(-1)!,
        propagationP50Ms: percentile(propagation, 0.5),
        propagationP99Ms: percentile(propagation, 0.99),
        firstCheckAllowed: firstAllowed / total.length,
      };
      const note = `${result.payments.toLocaleString("en-US")} payments one after another; A's answer → B allowed p50 ${result.propagationP50Ms.toFixed(1)} ms, p99 ${result.propagationP99Ms.toFixed(1)} ms; first check on B already allowed ${(result.firstCheckAllowed * 100).toFixed(1)}%; max ${result.maxMs.toFixed(1)} ms`;
      return {
        ...result,
        rows: [
          budgetRow({
            id: "11a",
            name: "payment on node A → check on node B allowed, p50 (PostgreSQL)",
            measured: result.p50Ms,
            unit: "ms",
            direction: "max",
            budget: CLUSTER_SETUP.budgetP50Ms,
            note,
          }),
          budgetRow({
            id: "11b",
            name: "payment on node A → check on node B allowed, p99 (PostgreSQL)",
            measured: result.p99Ms,
            unit: "ms",
            direction: "max",
            budget: CLUSTER_SETUP.budgetP99Ms,
          }),
        ],
      };
    } finally {
      for (const node of nodes.reverse()) await node.stop();
    }
  });
}
