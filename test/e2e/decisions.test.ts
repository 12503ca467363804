import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 24 * 3600 * 1000;

/** Every reason code of the core, produced from real state over HTTP, with its cause and remedy. */
describe.each(TEST_ENGINES)("decisions with reasons on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const paidMember = async (plan = "vip_month", profile: Record<string, unknown> = { locale: "en" }) => {
    const memberId = `dec-${++seq}`;
    await s.createMember(memberId, profile);
    const order = await s.createOrder(memberId, plan);
    await s.pay(order.orderId, order.amount.amount);
    return memberId;
  };
  const withClock = async <T>(offsetMs: number, work: () => Promise<T>) => {
    s.clock.advance(offsetMs);
    try {
      return await work();
    } finally {
      s.clock.advance(-offsetMs);
    }
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("GRANTED for an active member", async () => {
    const memberId = await paidMember();
    const d = await s.check(memberId, "ad_free");
    expect(d).toMatchObject({ memberId, benefit: "ad_free", allowed: true });
    expect(d.reasons).toEqual([
      {
        code: "GRANTED",
        cause: null,
        message: expect.any(String),
        details: {},
        remedy: { actor: "member", action: "none" },
      },
    ]);
  });

  it("NO_MEMBERSHIP for unknown and for unpaid members, naming the tiers that include it", async () => {
    for (const memberId of ["never-registered", (await s.createMember(`dec-free-${++seq}`)).memberId]) {
      const d = await s.check(memberId, "ad_free");
      expect(d.allowed).toBe(false);
      expect(d.reasons[0]).toMatchObject({
        code: "NO_MEMBERSHIP",
        cause: "membership_status",
        details: { tiers: ["vip", "svip"] },
        remedy: { actor: "member", action: "pay" },
      });
    }
  });

  it("PAYMENT_PENDING with the order and its age while the provider has not confirmed", async () => {
    const memberId = `dec-${++seq}`;
    await s.createMember(memberId);
    const order = await s.createOrder(memberId, "vip_month");
    const d = await s.check(memberId, "ad_free");
    expect(d.reasons[0]).toMatchObject({
      code: "PAYMENT_PENDING",
      cause: "sync_delay",
      details: { orderId: order.orderId, since: new Date(s.clock.now()).toISOString() },
      remedy: { action: "wait" },
    });
  });

  it("MEMBERSHIP_EXPIRED with the date, once the term and its grace period have passed", async () => {
    const memberId = await paidMember();
    const d = await withClock(38 * DAY, () => s.check(memberId, "ad_free"));
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_EXPIRED",
      cause: "membership_status",
      details: { expiredAt: "2026-12-24T02:00:00.000Z", graceEndedAt: "2026-12-31T02:00:00.000Z" },
      remedy: { action: "pay" },
    });
    // The same answer for a past `at` in the context, without moving the clock.
    const atLater = await s.check(memberId, "ad_free", { at: "2027-01-02T00:00:00Z" });
    expect(atLater.reasons[0].code).toBe("MEMBERSHIP_EXPIRED");
  });

  it("MEMBERSHIP_REVOKED after a refund", async () => {
    const memberId = `dec-${++seq}`;
    await s.createMember(memberId);
    const order = await s.createOrder(memberId, "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    await s.refund(order.orderId, order.amount.amount);
    const d = await s.check(memberId, "ad_free");
    expect(d.reasons[0]).toMatchObject({ code: "MEMBERSHIP_REVOKED", cause: "membership_status" });
  });

  it("TIER_NOT_ELIGIBLE names the tiers that include the benefit, remedy upgrade_tier", async () => {
    const memberId = await paidMember();
    const d = await s.check(memberId, "svip_concierge");
    expect(d.reasons[0]).toMatchObject({
      code: "TIER_NOT_ELIGIBLE",
      details: { tiers: ["svip"] },
      remedy: { actor: "member", action: "upgrade_tier" },
    });
  });

  it("NOT_YET_EFFECTIVE until 00:00 next day in the member's time zone, then GRANTED", async () => {
    const memberId = await paidMember();
    const d = await s.check(memberId, "member_discount", { product: { category: "books" } });
    expect(d.reasons[0]).toMatchObject({
      code: "NOT_YET_EFFECTIVE",
      cause: "rule_condition",
      details: { effectiveFrom: "2026-11-24T16:00:00.000Z" },
      remedy: { actor: "member", action: "wait", until: "2026-11-24T16:00:00.000Z" },
    });
    const next = await withClock(15 * 3600 * 1000, () =>
      s.check(memberId, "member_discount", { product: { category: "books" } }),
    );
    expect(next.allowed).toBe(true);
  });

  it("next_day follows the member's own time zone", async () => {
    const memberId = await paidMember("vip_month", { timezone: "America/New_York" });
    const d = await s.check(memberId, "member_discount");
    // T0 is 21:00 on 2026-11-23 in New York: the next day starts at 2026-11-24 05:00Z.
    expect(d.reasons[0].details.effectiveFrom).toBe("2026-11-24T05:00:00.000Z");
  });

  it("OUT_OF_SCOPE names the dimension, the expected and the actual value", async () => {
    const memberId = await paidMember();
    const later = (context: unknown) => withClock(DAY, () => s.check(memberId, "member_discount", context));
    const sale = await later({ product: { category: "books", onSale: true } });
    expect(sale.reasons[0]).toMatchObject({ code: "OUT_OF_SCOPE", details: { dimension: "sale_item" } });
    const category = await later({ product: { category: "electronics" } });
    expect(category.reasons[0]).toMatchObject({
      code: "OUT_OF_SCOPE",
      cause: "rule_condition",
      details: { dimension: "category", actual: "electronics" },
    });
    expect(category.reasons[0].details.expected).toEqual(["books"]);
    expect((await later({ product: { category: "books", onSale: false } })).allowed).toBe(true);
  });

  it("CLAIM_REQUIRED until the member claims, then GRANTED; the claim bumps the version", async () => {
    const memberId = await paidMember();
    const before = await s.check(memberId, "monthly_gift");
    expect(before.reasons[0]).toMatchObject({ code: "CLAIM_REQUIRED", remedy: { action: "claim" } });
    const token = await s.memberToken(memberId);
    const claim = await s.request("POST", "/v1/me/benefits/monthly_gift/claim", { auth: token });
    expect(claim.status).toBe(200);
    expect(claim.body.alreadyClaimed).toBe(false);
    const after = await s.check(memberId, "monthly_gift");
    expect(after.allowed).toBe(true);
    expect(after.entitlementsVersion).toBe(before.entitlementsVersion + 1);
    // An empty body with a JSON content type, as many HTTP clients send, is fine on a bodiless route.
    const again = await s.request("POST", "/v1/me/benefits/monthly_gift/claim", {
      auth: token,
      headers: { "content-type": "application/json" },
    });
    expect(again.body.alreadyClaimed).toBe(true);
  });

  it("TOGGLE_OFF until switched on; service-side toggle works too", async () => {
    const memberId = await paidMember();
    expect((await s.check(memberId, "hd_download_boost")).reasons[0]).toMatchObject({
      code: "TOGGLE_OFF",
      remedy: { action: "toggle_on" },
    });
    const token = await s.memberToken(memberId);
    const on = await s.request("PUT", "/v1/me/benefits/hd_download_boost/toggle", {
      auth: token,
      body: { on: true },
    });
    expect(on.status).toBe(200);
    expect((await s.check(memberId, "hd_download_boost")).allowed).toBe(true);
    await s.request("PUT", `/v1/members/${memberId}/benefits/hd_download_boost/toggle`, {
      body: { on: false },
    });
    expect((await s.check(memberId, "hd_download_boost")).reasons[0].code).toBe("TOGGLE_OFF");
  });

  it("claim and toggle refuse what does not apply", async () => {
    const memberId = await paidMember();
    const wrongKind = await s.request("POST", `/v1/members/${memberId}/benefits/ad_free/claim`);
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.error.code).toBe("CONFLICT");
    const notGranted = await s.request("POST", `/v1/members/${memberId}/benefits/svip_concierge/claim`);
    expect(notGranted.status).toBe(409);
    const unknown = await s.request("POST", `/v1/members/${memberId}/benefits/nope/claim`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("BENEFIT_NOT_FOUND");
  });

  it("CLIENT_OUTDATED below minClientVersion, remedy update_client", async () => {
    const memberId = await paidMember();
    const old = await s.check(memberId, "vip_zone", { client: { platform: "android", version: "5.1.9" } });
    expect(old.allowed).toBe(false);
    expect(old.reasons[0]).toMatchObject({
      code: "CLIENT_OUTDATED",
      cause: "client_stale",
      details: { platform: "android", version: "5.1.9", minVersion: "5.2.0" },
      remedy: { action: "update_client" },
    });
    expect(
      (await s.check(memberId, "vip_zone", { client: { platform: "android", version: "5.2.0" } })).allowed,
    ).toBe(true);
  });

  it("CLIENT_CACHE_STALE is advisory: on an allowed decision, after GRANTED", async () => {
    const memberId = await paidMember();
    const current = (await s.check(memberId, "ad_free")).entitlementsVersion;
    const d = await s.check(memberId, "ad_free", { client: { entitlementsVersion: current - 1 } });
    expect(d.allowed).toBe(true);
    expect(d.reasons.map((r: { code: string }) => r.code)).toEqual(["GRANTED", "CLIENT_CACHE_STALE"]);
    expect(d.reasons[1]).toMatchObject({ remedy: { action: "refresh_client" } });
    const fresh = await s.check(memberId, "ad_free", { client: { entitlementsVersion: current } });
    expect(fresh.reasons).toHaveLength(1);
  });

  it("STATE_INCONSISTENT when an active membership lacks a grant its tier includes (drift)", async () => {
    const memberId = await paidMember();
    // Corrupt the database directly, as a bug or a manual edit would.
    await s.database.db
      .deleteFrom("grants")
      .where("member_id", "=", memberId)
      .where("benefit_code", "=", "ad_free")
      .execute();
    s.app.cache.invalidate(memberId);
    const d = await s.check(memberId, "ad_free");
    expect(d.allowed).toBe(false);
    expect(d.reasons[0]).toMatchObject({
      code: "STATE_INCONSISTENT",
      cause: "system_fault",
      details: { problem: "grant_missing", tier: "vip" },
      remedy: { action: "contact_support" },
    });
  });

  it("for a platform's backend, messages follow the member's locale, else Accept-Language", async () => {
    const service = (await s.request("POST", "/v1/api-keys", { body: { name: "backend", role: "service" } }))
      .body.key;
    const check = async (memberId: string, headers: Record<string, string>) => {
      const res = await s.request("POST", "/v1/check", {
        auth: service,
        body: { memberId, benefit: "svip_concierge" },
        headers,
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    const zhMember = await paidMember("vip_month", { locale: "zh-CN" });
    const zh = await check(zhMember, { "accept-language": "en" });
    expect(zh.reasons[0].message).toMatch(/[\u4e00-\u9fff]/);
    const noLocale = await paidMember("vip_month", {});
    const en = await check(noLocale, { "accept-language": "en-US,en;q=0.9" });
    expect(en.reasons[0].message).toMatch(/^[\x20-\x7e]+$/);
    const zhHeader = await check(noLocale, { "accept-language": "zh-CN" });
    expect(zhHeader.reasons[0].message).toMatch(/[\u4e00-\u9fff]/);
    // An operator's console reads the answer itself: its explicit language wins over the stored one.
    const operator = await s.check(zhMember, "svip_concierge", undefined, { "accept-language": "en" });
    expect(operator.reasons[0].message).toMatch(/^[\x20-\x7e]+$/);
  });

  it("batch answers each check in order", async () => {
    const memberId = await paidMember();
    const res = await s.request("POST", "/v1/check/batch", {
      body: {
        checks: [
          { memberId, benefit: "ad_free" },
          { memberId, benefit: "svip_concierge" },
          { memberId: "nobody-at-all", benefit: "ad_free" },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((d: { allowed: boolean }) => d.allowed)).toEqual([true, false, false]);
    expect(res.body.results[1].reasons[0].code).toBe("TIER_NOT_ELIGIBLE");
    const unknown = await s.request("POST", "/v1/check/batch", {
      body: { checks: [{ memberId, benefit: "nope" }] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details[0].path).toBe("/checks/0/benefit");
  });

  it("entitlements carry an ETag; If-None-Match answers 304 until something changes", async () => {
    const memberId = await paidMember();
    const first = await s.request("GET", `/v1/members/${memberId}/entitlements`);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toBe(`"${first.body.entitlementsVersion}"`);
    const states = Object.fromEntries(
      first.body.benefits.map((b: { benefit: string; state: string }) => [b.benefit, b.state]),
    );
    expect(states).toMatchObject({
      ad_free: "active",
      hd_download_boost: "toggled_off",
      monthly_gift: "needs_claim",
      member_discount: "scheduled",
      svip_concierge: "not_included",
    });
    const cached = await s.request("GET", `/v1/members/${memberId}/entitlements`, {
      headers: { "if-none-match": etag },
    });
    expect(cached.status).toBe(304);
    await s.request("POST", `/v1/members/${memberId}/benefits/monthly_gift/claim`);
    const changed = await s.request("GET", `/v1/members/${memberId}/entitlements`, {
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await s.request("GET", "/v1/members/nobody/entitlements")).body.error.code).toBe(
      "MEMBER_NOT_FOUND",
    );
  });

  it("unknown benefits and a bad context are input errors, not denials", async () => {
    const unknown = await s.request("POST", "/v1/check", { body: { memberId: "x", benefit: "teleport" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("BENEFIT_NOT_FOUND");
    const badAt = await s.request("POST", "/v1/check", {
      body: { memberId: "x", benefit: "ad_free", context: { at: "soon" } },
    });
    expect(badAt.status).toBe(400);
    expect(badAt.body.error.details[0].path).toBe("/context/at");
  });
});
