/**
 * Two Perkwise processes on one PostgreSQL run the payment query jobs at the same time: each order
 * is asked about once (the job's lease) and its payment applied once — never twice.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { formatDecimalAmount } from "../../src/payments/money.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator, serveAlipayGateway } from "../support/alipay-simulator.js";
import type { QueryServer } from "../support/query-server.js";
import { runSchedulerProcess } from "../support/run-scheduler-process.js";
import { TEST_ENGINES } from "../test-database.js";

const MIN = 60_000;

describe.runIf(TEST_ENGINES.some((e) => e.name === "postgres"))(
  "two Perkwise processes on one PostgreSQL running the payment query jobs",
  () => {
    const engine = TEST_ENGINES.find((e) => e.name === "postgres")!;
    const alipay = new AlipaySimulator();
    let gateway: QueryServer & { gateway: string };
    let s: TestServer;
    beforeAll(async () => {
      gateway = await serveAlipayGateway(alipay);
      s = await TestServer.start(engine, undefined, { alipay: alipay.config(gateway.gateway) });
      await s.putCatalog(DEMO_CATALOG);
    });
    afterAll(async () => {
      await s.stop();
      await gateway.close();
    });

    const schedulerProcess = (worker: string, now: number) =>
      runSchedulerProcess(s.database.schema, worker, now, {
        ...alipay.environment(),
        PERKWISE_ALIPAY_GATEWAY: gateway.gateway,
      });

    it("each lost payment is asked about once and applied once", async () => {
      const members = Array.from({ length: 30 }, (_, i) => `qtwin-${i}`);
      const orders: string[] = [];
      for (const memberId of members) {
        await s.createMember(memberId, { locale: "en" });
        const order = await s.createOrder(memberId, "vip_month");
        alipay.trades.set(order.orderId, {
          status: "TRADE_SUCCESS",
          totalAmount: formatDecimalAmount(order.amount.amount),
        });
        orders.push(order.orderId);
      }
      const at = s.clock.now() + 5 * MIN;
      const [a, b] = await Promise.all(["proc-a", "proc-b"].map((worker) => schedulerProcess(worker, at)));
      expect(a.done + b.done).toBeGreaterThanOrEqual(members.length);
      expect(a.lost + b.lost + a.failed + b.failed).toBe(0);
      for (const orderId of orders) {
        const asked = alipay.queries.filter((q) => JSON.parse(q.params.biz_content).out_trade_no === orderId);
        expect(asked).toHaveLength(1);
      }
      const { rows } = await sql<{ member_id: string; n: number }>`
        select member_id, count(*)::int as n from memberships where member_id like 'qtwin-%'
        group by member_id`.execute(s.database.db);
      expect(rows).toHaveLength(members.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const { rows: events } = await sql<{ n: number }>`
        select count(*)::int as n from payment_events where order_id = any(${orders})`.execute(s.database.db);
      expect(events[0].n).toBe(orders.length);
      s.clock.set(at);
      for (const memberId of members.slice(0, 3))
        expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    });
  },
);
