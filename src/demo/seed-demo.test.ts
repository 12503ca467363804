import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEST_OPTIONS, openSeededDemo } from "../../test/support/seeded-demo-app.js";
import type { App } from "../app.js";
import type { DatabaseHandle } from "../db/database.js";
import { DEMO_SAMPLE_CART } from "./demo-catalog.js";
import { DEMO_MEMBERS, seedDemo } from "./seed-demo.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");
const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** What a newcomer sees after `npm start`: a member in each lifecycle state, with the right reason and dates. */
describe("the demo members", () => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    ({ app, database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());

  const check = (memberId: string, benefit: string) =>
    app.decisions.check({ memberId, benefit, context: {} }, "en");
  const codes = async (memberId: string, benefit: string) =>
    (await check(memberId, benefit)).reasons.map((r) => r.code);
  const timeline = async (memberId: string) =>
    (await app.timeline.forMember(memberId)).entries.map((e) => e.kind);

  it("seeds once", async () => {
    expect(await seedDemo({ database, ...DEMO_TEST_OPTIONS, now: NOW })).toBe(false);
    expect(DEMO_MEMBERS.length).toBe(11);
  });

  it("a daily quota used up today, with the time it resets", async () => {
    const decision = await app.decisions.check(
      { memberId: "demo-vip", benefit: "hd_downloads", context: { usage: 1 } },
      "en",
    );
    expect(decision.reasons[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      // Midnight in Shanghai after 10:00 on 24 November.
      details: { limit: 10, used: 10, resetAt: "2026-11-24T16:00:00.000Z" },
    });
  });

  it("active, pending, never paid", async () => {
    expect(await codes("demo-vip", "ad_free")).toEqual(["GRANTED"]);
    expect(await codes("demo-pending", "ad_free")).toEqual(["PAYMENT_PENDING"]);
    expect(await codes("demo-new", "ad_free")).toEqual(["NO_MEMBERSHIP"]);
  });

  it("in grace: benefits on, with the date they stop", async () => {
    const decision = await check("demo-grace", "ad_free");
    expect(decision.allowed).toBe(true);
    const [membership] = (await app.members.detail("demo-grace")).memberships;
    expect(membership).toMatchObject({ status: "in_grace", expiresAt: iso(NOW - DAY) });
    expect(decision.reasons[1]).toMatchObject({
      code: "MEMBERSHIP_IN_GRACE",
      details: { expiredAt: membership.expiresAt, graceEndsAt: membership.graceEndsAt },
    });
    expect(await timeline("demo-grace")).toEqual(
      expect.arrayContaining(["membership.expiry_reminder", "membership.grace_started"]),
    );
  });

  it("expired (after its grace period) and refunded, with their dates", async () => {
    const expired = await check("demo-expired", "ad_free");
    const [membership] = (await app.members.detail("demo-expired")).memberships;
    expect(membership.status).toBe("expired");
    expect(Date.parse(membership.graceEndsAt!)).toBeLessThan(NOW);
    expect(expired.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_EXPIRED",
      details: { expiredAt: membership.expiresAt, graceEndedAt: membership.graceEndsAt },
    });
    expect(await timeline("demo-expired")).toContain("membership.expired");
    expect(await codes("demo-refunded", "ad_free")).toEqual(["MEMBERSHIP_REVOKED"]);
  });

  it("upgraded: SVIP now, the VIP membership ended `upgraded`", async () => {
    expect((await check("demo-upgraded", "cloud_storage_plus")).allowed).toBe(true);
    const member = await app.members.detail("demo-upgraded");
    expect(member.memberships.map((m) => [m.tier, m.status])).toEqual([
      ["vip", "upgraded"],
      ["svip", "active"],
    ]);
    expect(await timeline("demo-upgraded")).toContain("membership.upgraded");
  });

  it("downgrade scheduled: SVIP until the end of its term, then VIP, shown with its date", async () => {
    expect((await check("demo-downgrade", "cloud_storage_plus")).allowed).toBe(true);
    const entitlements = await app.decisions.entitlements("demo-downgrade", "en");
    expect(entitlements.scheduledChanges).toMatchObject([
      { kind: "downgrade", fromTier: "svip", toTier: "vip" },
    ]);
  });
});

/** The coupons issue's "done when": the demo member sees which coupons work on a sample cart, which don't and why. */
describe("the demo coupons", () => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    ({ app, database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());
  const states = async (memberId: string) =>
    (await app.coupons.list(memberId, "en")).coupons.map((c) => `${c.code}:${c.state}`).sort();

  it("demo-vip holds this month's claimed pack; demo-svip used one on a shop order", async () => {
    expect(await states("demo-vip")).toEqual([
      "any_9_off:available",
      "app_10_off_50:available",
      "books_20_off_100:available",
      "books_20_off_100:available",
      "svip_50_off_300:available",
    ]);
    expect(await states("demo-svip")).toContain("books_20_off_100:used");
  });

  it("shows demo-vip which coupons work on the sample cart, which don't and exactly why, and the best combination", async () => {
    const e = await app.checkout.evaluate("demo-vip", { cart: DEMO_SAMPLE_CART }, "en");
    const why = Object.fromEntries(e.coupons.map((c) => [c.code, c.reasons.map((r) => r.code)]));
    expect(why).toEqual({
      any_9_off: [],
      app_10_off_50: ["CHANNEL_NOT_ELIGIBLE"],
      books_20_off_100: ["MIN_AMOUNT_NOT_MET"],
      svip_50_off_300: ["TIER_TOO_LOW", "MIN_AMOUNT_NOT_MET"],
    });
    const books = e.coupons.find((c) => c.code === "books_20_off_100")!;
    // demo-vip reads Chinese.
    expect(books.reasons[0].remedy.message).toBe("再买¥16.40的适用商品即可使用");
    const any = e.coupons.find((c) => c.code === "any_9_off")!;
    expect(e.best).toEqual({
      coupons: [any.couponId],
      saving: { amount: 1202, currency: "CNY" },
      total: { amount: 12158, currency: "CNY" },
    });
  });
});
