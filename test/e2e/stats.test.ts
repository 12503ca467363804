import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { T0, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";
import { STATS_QUERY_ROUTES } from "./support/malformed-routes.js";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(TEST_ENGINES)("GET /v1/stats on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const paidMember = async () => {
    const memberId = `st-${++seq}`;
    await s.createMember(memberId);
    const order = await s.createOrder(memberId, "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).body.outcome).toBe("applied");
    return memberId;
  };
  const stats = async (query: string) => {
    const res = await s.request("GET", `/v1/stats${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("decisions by reason code per bucket, this node's, from memory", async () => {
    const member = await paidMember();
    // 02:00–02:05 bucket: 2 GRANTED and 1 NO_MEMBERSHIP; 02:05–02:10: 1 GRANTED; 02:15: 2 NO_MEMBERSHIP.
    await s.check(member, "ad_free");
    await s.check(member, "ad_free");
    await s.check("st-nobody", "ad_free");
    s.clock.advance(7 * MINUTE);
    await s.check(member, "vip_zone");
    s.clock.advance(10 * MINUTE);
    await s.check("st-nobody", "ad_free");
    await s.check("st-nobody", "vip_zone");

    const body = await stats(`?from=${iso(T0)}&to=${iso(T0 + 20 * MINUTE)}&bucket=PT5M`);
    expect(body).toMatchObject({ from: iso(T0), to: iso(T0 + 20 * MINUTE), bucket: "PT5M" });
    expect(body.decisions).toMatchObject({ scope: "node", nodeId: s.app.cluster.nodeId });
    expect(body.decisions.note).toMatch(/this node/);
    expect(body.decisions.series).toEqual([
      { start: iso(T0), total: 3, byReason: { GRANTED: 2, NO_MEMBERSHIP: 1 } },
      { start: iso(T0 + 5 * MINUTE), total: 1, byReason: { GRANTED: 1 } },
      { start: iso(T0 + 10 * MINUTE), total: 0, byReason: {} },
      { start: iso(T0 + 15 * MINUTE), total: 2, byReason: { NO_MEMBERSHIP: 2 } },
    ]);
    expect(body.decisions.totals).toEqual({ GRANTED: 3, NO_MEMBERSHIP: 3 });

    // Without a range: the last 24 hours up to the end of this minute, in 5-minute buckets.
    const recent = await stats("");
    expect(recent.to).toBe(iso(T0 + 18 * MINUTE));
    expect(recent.from).toBe(iso(T0 + 18 * MINUTE - 24 * 60 * MINUTE));
    expect(recent.bucket).toBe("PT5M");
    expect(recent.decisions.series).toHaveLength(288);
    expect(recent.decisions.totals).toEqual({ GRANTED: 3, NO_MEMBERSHIP: 3 });

    // A day later the ring has moved on: those minutes are no longer kept.
    s.clock.advance(25 * 60 * MINUTE);
    const later = await stats(`?from=${iso(T0)}&to=${iso(T0 + 20 * MINUTE)}`);
    expect(later.decisions.totals).toEqual({});
    expect(Date.parse(later.decisions.keptFrom)).toBeGreaterThan(T0 + 20 * MINUTE);
    s.clock.set(T0);
  });

  it("payment-to-grant latency from the database: count, percentiles and a histogram of the range", async () => {
    const from = T0 + 60 * MINUTE;
    s.clock.set(from);
    for (let i = 0; i < 4; i++) await paidMember();
    s.clock.set(T0);
    // A read writes the samples still in memory (they are stored once a second) and counts them all.
    expect((await stats(`?from=${iso(from)}&to=${iso(from + MINUTE)}`)).paymentToGrant.count).toBe(4);
    // Pin the measured latencies so the percentiles are exact: 3, 7, 40 and 400 ms.
    const { rows } = await sql<{ webhook_id: string }>`
      select webhook_id from payment_events where received_at >= ${new Date(from)} order by webhook_id`.execute(
      s.database.db,
    );
    expect(rows).toHaveLength(4);
    for (const [i, ms] of [3, 7, 40, 400].entries())
      await sql`update payment_events set grant_latency_ms = ${ms} where webhook_id = ${rows[i].webhook_id}`.execute(
        s.database.db,
      );

    const body = await stats(`?from=${iso(from)}&to=${iso(from + MINUTE)}`);
    expect(body.paymentToGrant).toMatchObject({ source: "database", count: 4, maxMs: 400 });
    expect(body.paymentToGrant.p50Ms).toBeCloseTo(23.5, 6); // halfway between 7 and 40
    expect(body.paymentToGrant.p99Ms).toBeCloseTo(40 + 0.97 * 360, 6);
    const histogram = body.paymentToGrant.histogram as { ltMs: number | null; count: number }[];
    expect(histogram.at(-1)).toEqual({ ltMs: null, count: 0 });
    const at = (lt: number) => histogram.find((h) => h.ltMs === lt)?.count;
    expect([at(5), at(10), at(50), at(500)]).toEqual([1, 1, 1, 1]);
    expect(histogram.reduce((sum, h) => sum + h.count, 0)).toBe(4);

    const empty = await stats(`?from=${iso(from + MINUTE)}&to=${iso(from + 2 * MINUTE)}`);
    expect(empty.paymentToGrant).toMatchObject({ count: 0, p50Ms: null, maxMs: null });
  });

  it("every applied payment has its measured latency stored", async () => {
    const from = T0 + 2 * 60 * MINUTE;
    s.clock.set(from);
    await paidMember();
    s.clock.set(T0);
    const body = await stats(`?from=${iso(from)}&to=${iso(from + MINUTE)}`);
    expect(body.paymentToGrant.count).toBe(1);
    expect(body.paymentToGrant.p50Ms).toBeGreaterThanOrEqual(0);
    expect(body.paymentToGrant.p50Ms).toBe(body.paymentToGrant.maxMs);
  });

  it("latency samples reach the database within a second even when nobody reads the statistics", async () => {
    const memberId = await paidMember();
    const stored = async () => {
      const { rows } = await sql<{ ms: number | null }>`
        select p.grant_latency_ms as ms from payment_events p join orders o on o.id = p.order_id
        where o.member_id = ${memberId}`.execute(s.database.db);
      return rows;
    };
    const deadline = performance.now() + 3_000;
    while ((await stored())[0]?.ms == null && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stored()).toEqual([{ ms: expect.any(Number) }]);
  });

  it("holds placed in the range by reason, with how many are still open", async () => {
    const from = T0 + 3 * 60 * MINUTE;
    s.clock.set(from);
    const holds: string[] = [];
    for (const reason of ["manual", "manual", "chargeback"]) {
      const member = await paidMember();
      const res = await s.request("POST", `/v1/members/${member}/holds`, {
        body: { reason, clearMethod: "agent" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      holds.push(res.body.id ?? res.body.holdId);
    }
    const cleared = await s.request("POST", `/v1/holds/${holds[0]}/clear`, { body: { note: "checked" } });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    s.clock.set(T0);
    const body = await stats(`?from=${iso(from)}&to=${iso(from + MINUTE)}`);
    expect(body.holds).toEqual({
      source: "database",
      byReason: [
        { reason: "chargeback", placed: 1, open: 1 },
        { reason: "manual", placed: 2, open: 1 },
      ],
    });
  });

  it("support keys may read it", async () => {
    const key = await s.request("POST", "/v1/api-keys", { body: { name: "agent", role: "support" } });
    expect((await s.request("GET", "/v1/stats", { auth: key.body.key })).status).toBe(200);
  });

  it.each(STATS_QUERY_ROUTES)("malformed query $name: 400 VALIDATION_FAILED", async ({ query, path }) => {
    const res = await s.request("GET", `/v1/stats?${query}`);
    expect(res.status).toBe(400);
    expectRejected(res, ["VALIDATION_FAILED"], query);
    if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });
});
