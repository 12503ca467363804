import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** The demo catalog (its `hd_downloads`: 10 a day) plus a monthly quota for vip. */
const CATALOG: CatalogDocument = {
  ...DEMO_CATALOG,
  tiers: DEMO_CATALOG.tiers.map((t) =>
    t.code === "vip" ? { ...t, benefits: [...t.benefits, "monthly_exports"] } : t,
  ),
  benefits: [
    ...DEMO_CATALOG.benefits,
    {
      code: "monthly_exports",
      kind: "quota",
      name: { en: "Exports", "zh-CN": "导出" },
      // The calendar month (a membership-anchored month: test/e2e/period-anchors.test.ts).
      quota: { limit: 3, unit: "exports", period: "P1M", anchor: "calendar" },
    },
  ],
};
const HOUR = 3_600_000;

/** Metered quotas over HTTP: atomic, idempotent, never past the limit, reset in the member's time zone. */
describe.each(TEST_ENGINES)("metered quotas on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  let keys = 0;
  const key = () => `k-${++keys}`;

  const vip = async (profile: Record<string, unknown> = { locale: "en", timezone: "Asia/Shanghai" }) => {
    const memberId = `q-${++seq}`;
    await s.createMember(memberId, profile);
    const order = await s.createOrder(memberId, "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    return memberId;
  };
  const use = (memberId: string, benefit: string, body: unknown, auth?: string | null) =>
    s.request("POST", `/v1/members/${memberId}/benefits/${benefit}/usage`, { body, auth });
  const usageCheck = (memberId: string, benefit: string, usage?: number) =>
    s.check(memberId, benefit, usage === undefined ? undefined : { usage });
  const stored = async (memberId: string, benefit: string) => {
    const { rows } = await sql<{ used: number; resets: Date | null }>`
      select quota_used::int as used, quota_resets_at as resets from grants
      where member_id = ${memberId} and benefit_code = ${benefit}`.execute(s.database.db);
    return { used: rows[0].used, resetsAt: rows[0].resets && new Date(rows[0].resets).toISOString() };
  };
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(CATALOG);
    // The catalog's activation job, so that later runs hold only the jobs the tests cause.
    await s.app.scheduler.runDue();
  });
  afterAll(() => s.stop());

  it("consumes up to the limit, then answers 409 QUOTA_EXHAUSTED with limit, used and resetAt", async () => {
    const memberId = await vip();
    const v0 = await version(memberId);
    // 10:00 in Shanghai: today's downloads reset at 00:00 Shanghai, 16:00 UTC.
    const first = await use(memberId, "hd_downloads", { amount: 4, idempotencyKey: key() });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      benefit: "hd_downloads",
      consumed: 4,
      used: 4,
      limit: 10,
      remaining: 6,
      unit: "downloads",
      resetAt: "2026-11-24T16:00:00.000Z",
      entitlementsVersion: v0 + 1,
    });
    const rest = await use(memberId, "hd_downloads", { amount: 6, idempotencyKey: key() });
    expect(rest.body).toMatchObject({ used: 10, remaining: 0, entitlementsVersion: v0 + 2 });

    const over = await use(memberId, "hd_downloads", { amount: 1, idempotencyKey: key() });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      message:
        "You have used 10 of your 10 downloads of HD downloads; it resets on 2026-11-25 00:00 (Asia/Shanghai).",
      details: [
        {
          path: "/amount",
          code: "QUOTA_EXHAUSTED",
          cause: "rule_condition",
          details: {
            limit: 10,
            used: 10,
            requested: 1,
            unit: "downloads",
            resetAt: "2026-11-24T16:00:00.000Z",
          },
          remedy: { actor: "member", action: "wait", until: "2026-11-24T16:00:00.000Z" },
        },
      ],
    });
    // A denial changes nothing.
    expect(await version(memberId)).toBe(v0 + 2);
    expect(await stored(memberId, "hd_downloads")).toEqual({
      used: 10,
      resetsAt: "2026-11-24T16:00:00.000Z",
    });

    // Decisions see it too, with and without context.usage; the member centre shows the numbers.
    expect((await usageCheck(memberId, "hd_downloads", 1)).reasons[0].code).toBe("QUOTA_EXHAUSTED");
    expect((await usageCheck(memberId, "hd_downloads")).reasons[0].details).toMatchObject({ used: 10 });
    const entitlements = await s.request("GET", `/v1/members/${memberId}/entitlements`);
    expect(entitlements.body.benefits.find((b: any) => b.benefit === "hd_downloads")).toMatchObject({
      state: "active",
      quota: { limit: 10, used: 10, remaining: 0, period: "P1D", resetAt: "2026-11-24T16:00:00.000Z" },
    });

    // A request that does not fit is refused whole, and says how much is left.
    const other = await vip();
    await use(other, "hd_downloads", { amount: 8, idempotencyKey: key() });
    const tooMuch = await use(other, "hd_downloads", { amount: 3, idempotencyKey: key() });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.details[0].details).toMatchObject({ used: 8, requested: 3 });
    expect(tooMuch.body.error.message).toContain("only 2 of your 10 downloads are left");
    expect(await stored(other, "hd_downloads")).toMatchObject({ used: 8 });

    const timeline = await s.request("GET", `/v1/members/${memberId}/timeline`);
    const used = timeline.body.entries.filter((e: any) => e.kind === "benefit.used");
    expect(used.map((e: any) => ({ source: e.source, ...e.data }))).toEqual([
      { source: "service", benefit: "hd_downloads", amount: 4, used: 4, limit: 10, idempotencyKey: "k-1" },
      { source: "service", benefit: "hd_downloads", amount: 6, used: 10, limit: 10, idempotencyKey: "k-2" },
    ]);
  });

  it("answers a repeated idempotency key with the first answer and consumes nothing more", async () => {
    const memberId = await vip();
    const body = { amount: 3, idempotencyKey: "order-42-download" };
    const first = await use(memberId, "hd_downloads", body);
    const again = await use(memberId, "hd_downloads", body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await stored(memberId, "hd_downloads")).toMatchObject({ used: 3 });
    expect(await version(memberId)).toBe(first.body.entitlementsVersion);

    // The same key for something else is a conflict, not a silent replay.
    for (const conflicting of [
      { ...body, amount: 4 },
      { benefit: "monthly_exports", ...body },
    ]) {
      const { benefit = "hd_downloads", ...rest } = conflicting as typeof body & { benefit?: string };
      const res = await use(memberId, benefit, rest);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: "IDEMPOTENCY_CONFLICT",
        details: [{ path: "/idempotencyKey" }],
      });
    }
    // Keys are per member: another member's identical key is a request of its own.
    const other = await vip();
    expect((await use(other, "hd_downloads", body)).body).toMatchObject({ used: 3 });

    // A denial is replayed as a denial, even once the quota has room again.
    await use(memberId, "hd_downloads", { amount: 7, idempotencyKey: key() });
    const deniedBody = { amount: 1, idempotencyKey: key() };
    const denied = await use(memberId, "hd_downloads", deniedBody);
    expect(denied.status).toBe(409);
    const replayed = await use(memberId, "hd_downloads", deniedBody);
    expect(replayed).toMatchObject({ status: 409, body: denied.body });
  });

  it("replays usage rows stored before outcomes replaced HTTP answers (migration 0014)", async () => {
    const memberId = await vip();
    const oldDenial = {
      error: {
        code: "QUOTA_EXHAUSTED",
        message: "Used up.",
        // As the code before 0014 stored it: each detail is a reason, with its message.
        details: [{ path: "/amount", code: "QUOTA_EXHAUSTED", message: "Used up." }],
      },
    };
    await sql`insert into quota_usage (member_id, idempotency_key, benefit_code, amount, outcome, status, response, at)
      values (${memberId}, 'old-denied', 'hd_downloads', 2, 'denied', 409, ${JSON.stringify(oldDenial)}::jsonb, now())`.execute(
      s.database.db,
    );
    const replayed = await use(memberId, "hd_downloads", { amount: 2, idempotencyKey: "old-denied" });
    expect(replayed).toMatchObject({ status: 409, body: oldDenial });
    expect(await stored(memberId, "hd_downloads")).toMatchObject({ used: 0 });
    // A new row keeps the outcome and no status.
    const fresh = await use(memberId, "hd_downloads", { amount: 1, idempotencyKey: "new-consumed" });
    expect(fresh.status).toBe(200);
    const { rows } = await sql<{ outcome: string; status: number | null }>`
      select outcome, status from quota_usage where member_id = ${memberId} and idempotency_key = 'new-consumed'`.execute(
      s.database.db,
    );
    expect(rows).toEqual([{ outcome: "consumed", status: null }]);
  });
  it("100 concurrent requests against a limit of 10: exactly 10 succeed, used is 10", async () => {
    const memberId = await vip();
    const v0 = await version(memberId);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        use(memberId, "hd_downloads", { amount: 1, idempotencyKey: `c-${i}` }),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const r of refused) expect(r.body.error.code).toBe("QUOTA_EXHAUSTED");
    // Each success saw the use of the ones before it: 1 … 10, each once.
    expect(ok.map((a) => a.body.used).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await stored(memberId, "hd_downloads")).toEqual({
      used: 10,
      resetsAt: "2026-11-24T16:00:00.000Z",
    });
    expect(await version(memberId)).toBe(v0 + 10);
    const { rows } = await sql<{ outcome: string; n: number }>`
      select outcome, count(*)::int as n from quota_usage where member_id = ${memberId}
      group by outcome order by outcome`.execute(s.database.db);
    expect(rows).toEqual([
      { outcome: "consumed", n: 10 },
      { outcome: "denied", n: 90 },
    ]);
  });

  it("refuses usage the decision denies for other reasons, unknown benefits and benefits that are not quotas", async () => {
    const unpaid = `q-free-${++seq}`;
    await s.createMember(unpaid, { locale: "en" });
    const none = await use(unpaid, "hd_downloads", { amount: 1, idempotencyKey: key() });
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({
      code: "USAGE_DENIED",
      details: [{ path: "", code: "NO_MEMBERSHIP", remedy: { action: "pay" } }],
    });
    const memberId = await vip();
    const cases: [string, string, number, string][] = [
      ["nobody-here", "hd_downloads", 404, "MEMBER_NOT_FOUND"],
      [memberId, "no_such_benefit", 404, "BENEFIT_NOT_FOUND"],
      [memberId, "ad_free", 422, "BENEFIT_NOT_QUOTA"],
    ];
    for (const [member, benefit, status, code] of cases) {
      const res = await use(member, benefit, { amount: 1, idempotencyKey: key() });
      expect(res.status, code).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    // A quota without a period never resets: the remedy for a full one is a bigger tier.
    const storage = await use(memberId, "cloud_storage", { amount: 2048, idempotencyKey: key() });
    expect(storage.body).toMatchObject({ used: 2048, remaining: 0, unit: "GB", resetAt: null });
    const full = await use(memberId, "cloud_storage", { amount: 1, idempotencyKey: key() });
    expect(full.body.error.details[0]).toMatchObject({
      details: { resetAt: null },
      remedy: { actor: "member", action: "upgrade_tier" },
    });
  });

  it("rejects bad input with 400 and the error shape, writing nothing", async () => {
    const memberId = await vip();
    const bodies = [
      {},
      { amount: 1 },
      { idempotencyKey: "k" },
      { amount: "1", idempotencyKey: "k" },
      { amount: 0, idempotencyKey: "k" },
      { amount: -3, idempotencyKey: "k" },
      { amount: 1.5, idempotencyKey: "k" },
      { amount: 1, idempotencyKey: "" },
      { amount: 1, idempotencyKey: "x".repeat(129) },
      { amount: 1, idempotencyKey: ["k"] },
      { amount: 1, idempotencyKey: "k", extra: true },
    ];
    for (const body of bodies) {
      const res = await use(memberId, "hd_downloads", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: expect.any(Array) });
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    const malformed = await s.request("POST", `/v1/members/${memberId}/benefits/hd_downloads/usage`, {
      raw: '{"amount": 1,',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("MALFORMED_BODY");
    // 128 characters is the longest key accepted.
    expect((await use(memberId, "hd_downloads", { amount: 1, idempotencyKey: "x".repeat(128) })).status).toBe(
      200,
    );
    expect(await stored(memberId, "hd_downloads")).toMatchObject({ used: 1 });
  });

  it("is for services: member tokens and support keys are refused", async () => {
    const memberId = await vip();
    const body = () => ({ amount: 1, idempotencyKey: key() });
    const token = await s.memberToken(memberId);
    const support = (await s.request("POST", "/v1/api-keys", { body: { name: "support", role: "support" } }))
      .body.key;
    const service = (await s.request("POST", "/v1/api-keys", { body: { name: "svc", role: "service" } })).body
      .key;
    expect((await use(memberId, "hd_downloads", body(), token)).body.error.code).toBe("FORBIDDEN");
    expect((await use(memberId, "hd_downloads", body(), support)).status).toBe(403);
    expect((await use(memberId, "hd_downloads", body(), null)).status).toBe(401);
    expect((await use(memberId, "hd_downloads", body(), service)).status).toBe(200);
    expect(await stored(memberId, "hd_downloads")).toMatchObject({ used: 1 });
  });

  // The tests below move the clock forward for good: keep them last.

  it("resets a daily quota at midnight in the member's time zone, and the reset job tells clients", async () => {
    // 21:00 on 23 November in New York (UTC-5): the day ends at 05:00 UTC.
    const memberId = await vip({ locale: "en", timezone: "America/New_York" });
    const spent = await use(memberId, "hd_downloads", { amount: 10, idempotencyKey: key() });
    expect(spent.body).toMatchObject({ used: 10, resetAt: "2026-11-24T05:00:00.000Z" });
    expect((await usageCheck(memberId, "hd_downloads", 1)).allowed).toBe(false);
    expect((await s.app.scheduler.runDue()).done).toBe(0);

    s.clock.advance(3 * HOUR - 1);
    expect((await usageCheck(memberId, "hd_downloads", 1)).allowed).toBe(false);
    s.clock.advance(1);
    // Midnight in New York: the quota is usable at once, before any job ran.
    const v0 = await version(memberId);
    const fresh = await usageCheck(memberId, "hd_downloads", 10);
    expect(fresh.allowed).toBe(true);

    const summary = await s.app.scheduler.runDue();
    expect(summary).toMatchObject({ failed: 0, retried: 0 });
    expect(summary.done).toBeGreaterThanOrEqual(1);
    expect(await stored(memberId, "hd_downloads")).toEqual({ used: 0, resetsAt: null });
    // Two changes at local midnight: the quota reset, and the next-day member discount taking effect.
    expect(await version(memberId)).toBe(v0 + 2);
    const timeline = await s.request("GET", `/v1/members/${memberId}/timeline`);
    const kinds = timeline.body.entries.slice(-2).map((e: { kind: string }) => e.kind);
    expect(kinds.sort()).toEqual(["grants.effective", "quota.reset"]);
    expect(timeline.body.entries.find((e: { kind: string }) => e.kind === "quota.reset")).toMatchObject({
      kind: "quota.reset",
      source: "system",
      data: { benefit: "hd_downloads", resetAt: "2026-11-24T05:00:00.000Z" },
    });
    // Running again does nothing: the job is done.
    expect((await s.app.scheduler.runDue()).done).toBe(0);
    expect(await version(memberId)).toBe(v0 + 2);

    const next = await use(memberId, "hd_downloads", { amount: 2, idempotencyKey: key() });
    expect(next.body).toMatchObject({ used: 2, remaining: 8, resetAt: "2026-11-25T05:00:00.000Z" });
  });

  it("resets a monthly quota at the start of the member's next month; a late job changes nothing", async () => {
    const memberId = await vip();
    const spent = await use(memberId, "monthly_exports", { amount: 3, idempotencyKey: key() });
    // 00:00 on 1 December in Shanghai.
    expect(spent.body).toMatchObject({ used: 3, resetAt: "2026-11-30T16:00:00.000Z" });
    const monthEnd = Date.parse("2026-11-30T16:00:00.000Z");
    s.clock.advance(monthEnd - 1 - s.clock.now());
    expect((await usageCheck(memberId, "monthly_exports", 1)).reasons[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      remedy: { until: "2026-11-30T16:00:00.000Z" },
    });
    s.clock.advance(1);
    // The first use of December, before the reset job ran: it starts the new period itself.
    const december = await use(memberId, "monthly_exports", { amount: 1, idempotencyKey: key() });
    expect(december.body).toMatchObject({ used: 1, remaining: 2, resetAt: "2026-12-31T16:00:00.000Z" });
    // Due now as well: the daily resets of every earlier test's members, applied in one batch.
    const summary = await s.app.scheduler.runDue();
    expect(summary).toMatchObject({ failed: 0, retried: 0, lost: 0 });
    expect(summary.done).toBeGreaterThanOrEqual(8);
    expect(await stored(memberId, "monthly_exports")).toEqual({
      used: 1,
      resetsAt: "2026-12-31T16:00:00.000Z",
    });
    // The late reset job found the period already rolled over: it told no one anything.
    const entries = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries;
    expect(entries.filter((e: { kind: string }) => e.kind === "quota.reset")).toEqual([]);
    // No grant is left holding the use of a period that has ended.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from grants
      where quota_resets_at <= ${new Date(s.clock.now())}`.execute(s.database.db);
    expect(rows[0].n).toBe(0);
  });
});
