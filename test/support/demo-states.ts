/**
 * What a newcomer must see after `npm start`, whatever the day: each demo member in its state, with
 * times relative to the instant the demo was seeded for. Shared by the fixed-instant demo test and
 * the tests that seed at month ends, leap days, DST changes and random instants.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/database.js";
import { DEMO_SAMPLE_CART } from "../../src/demo/demo-catalog.js";
import type { DemoInstant } from "./demo-instants.js";
import { reseedDemo } from "./seeded-demo-app.js";

const DAY = 24 * 3600 * 1000;

/** Every assertion on the seeded demo, at `now` (the seed's instant) for members in `timeZone`. */
export async function expectDemoStates(app: App, now: number, timeZone: string): Promise<void> {
  const at = new Date(now).toISOString();
  const check = (memberId: string, benefit: string, context = {}) =>
    app.decisions.check({ memberId, benefit, context }, "en");
  const codes = async (memberId: string, benefit: string, context = {}) =>
    (await check(memberId, benefit, context)).reasons.map((r) => r.code);
  const timeline = async (memberId: string) =>
    (await app.timeline.forMember(memberId)).entries.map((e) => e.kind);
  const memberships = async (memberId: string) => (await app.members.detail(memberId)).memberships;

  // Active, pending, never paid; the next-day member discount is in effect two days after paying.
  expect(await codes("demo-vip", "ad_free"), at).toEqual(["GRANTED"]);
  expect(await codes("demo-pending", "ad_free"), at).toEqual(["PAYMENT_PENDING"]);
  expect(await codes("demo-new", "ad_free"), at).toEqual(["NO_MEMBERSHIP"]);
  const book = { product: { id: "book-1984", category: "books", onSale: false } };
  expect(await codes("demo-vip", "member_discount", book), at).toEqual(["GRANTED"]);

  // Today's ten downloads used up: the next one waits for midnight in the member's time zone.
  const midnight = DateTime.fromMillis(now, { zone: timeZone }).plus({ days: 1 }).startOf("day");
  const download = await app.decisions.check(
    { memberId: "demo-vip", benefit: "hd_downloads", context: { usage: 1 } },
    "en",
  );
  expect(download.reasons[0], at).toMatchObject({
    code: "QUOTA_EXHAUSTED",
    details: { limit: 10, used: 10, resetAt: midnight.toUTC().toISO() },
  });

  // In grace: expired yesterday (or up to three days before, where no month ends yesterday), benefits on.
  const grace = await check("demo-grace", "ad_free");
  expect(grace.allowed, at).toBe(true);
  const [graceMembership] = await memberships("demo-grace");
  expect(graceMembership.status, at).toBe("in_grace");
  const expiredAt = Date.parse(graceMembership.expiresAt);
  expect(expiredAt, at).toBeLessThanOrEqual(now - DAY);
  expect(expiredAt, at).toBeGreaterThanOrEqual(now - 4 * DAY);
  expect(grace.reasons[1], at).toMatchObject({
    code: "MEMBERSHIP_IN_GRACE",
    details: { expiredAt: graceMembership.expiresAt, graceEndsAt: graceMembership.graceEndsAt },
  });
  expect(await timeline("demo-grace"), at).toEqual(
    expect.arrayContaining(["membership.expiry_reminder", "membership.grace_started"]),
  );

  // Expired after its grace period, and refunded.
  const expired = await check("demo-expired", "ad_free");
  const [expiredMembership] = await memberships("demo-expired");
  expect(expiredMembership.status, at).toBe("expired");
  expect(Date.parse(expiredMembership.graceEndsAt!), at).toBeLessThan(now);
  expect(expired.reasons[0], at).toMatchObject({
    code: "MEMBERSHIP_EXPIRED",
    details: { expiredAt: expiredMembership.expiresAt, graceEndedAt: expiredMembership.graceEndsAt },
  });
  expect(await timeline("demo-expired"), at).toContain("membership.expired");
  expect(await codes("demo-refunded", "ad_free"), at).toEqual(["MEMBERSHIP_REVOKED"]);

  // Upgraded VIP → SVIP; SVIP with a downgrade to VIP scheduled for the end of its term.
  expect((await check("demo-upgraded", "cloud_storage_plus")).allowed, at).toBe(true);
  expect(
    (await memberships("demo-upgraded")).map((m) => [m.tier, m.status]),
    at,
  ).toEqual([
    ["vip", "upgraded"],
    ["svip", "active"],
  ]);
  expect(await timeline("demo-upgraded"), at).toContain("membership.upgraded");
  expect((await check("demo-downgrade", "cloud_storage_plus")).allowed, at).toBe(true);
  const downgrade = await app.decisions.entitlements("demo-downgrade", "en");
  expect(downgrade.scheduledChanges, at).toMatchObject([
    { kind: "downgrade", fromTier: "svip", toTier: "vip" },
  ]);

  // On hold after an unusual login; an old app after the rule change; the boost switched on.
  expect(await codes("demo-hold", "ad_free"), at).toEqual(["ACCOUNT_ON_HOLD"]);
  expect(await codes("demo-oldapp", "vip_zone"), at).toContain("CLIENT_OUTDATED");
  expect(await codes("demo-svip", "hd_download_boost"), at).toEqual(["GRANTED"]);

  await expectDemoCoupons(app, at);
}

/** demo-vip holds the pack of the month it bought, all usable; demo-svip used one on a shop order. */
async function expectDemoCoupons(app: App, at: string): Promise<void> {
  const states = async (memberId: string) =>
    (await app.coupons.list(memberId, "en")).coupons.map((c) => `${c.code}:${c.state}`).sort();
  expect(await states("demo-vip"), at).toEqual([
    "any_9_off:available",
    "app_10_off_50:available",
    "books_20_off_100:available",
    "books_20_off_100:available",
    "svip_50_off_300:available",
  ]);
  expect(await states("demo-svip"), at).toContain("books_20_off_100:used");

  // The sample cart: which coupons work, which don't and exactly why, and the best combination.
  const e = await app.checkout.evaluate("demo-vip", { cart: DEMO_SAMPLE_CART }, "en");
  const why = Object.fromEntries(e.coupons.map((c) => [c.code, c.reasons.map((r) => r.code)]));
  expect(why, at).toEqual({
    any_9_off: [],
    app_10_off_50: ["CHANNEL_NOT_ELIGIBLE"],
    books_20_off_100: ["MIN_AMOUNT_NOT_MET"],
    svip_50_off_300: ["TIER_TOO_LOW", "MIN_AMOUNT_NOT_MET"],
  });
  const books = e.coupons.find((c) => c.code === "books_20_off_100")!;
  // demo-vip reads Chinese.
  expect(books.reasons[0].remedy.message, at).toBe("再买¥16.40的适用商品即可使用");
  const any = e.coupons.find((c) => c.code === "any_9_off")!;
  expect(e.best, at).toEqual({
    coupons: [any.couponId],
    saving: { amount: 1202, currency: "CNY" },
    total: { amount: 12158, currency: "CNY" },
  });
}

/** A suite that seeds the demo at each instant (one in-memory PGlite, emptied between them) and checks every member. */
export function describeDemoAt(
  title: string,
  instants: readonly DemoInstant[],
  more?: (seedAt: SeedAt) => void,
) {
  describe(title, () => {
    let database: DatabaseHandle;
    beforeAll(async () => {
      database = await openDatabase({ memory: true });
    });
    afterAll(() => database.close());
    const seedAt: SeedAt = async (now, timeZone) => {
      const app = await reseedDemo(database, now, timeZone);
      await expectDemoStates(app, now, timeZone);
    };
    for (const instant of instants) it(instant.label, () => seedAt(instant.now, instant.timeZone));
    more?.(seedAt);
  });
}

/** Seeds the demo at `now` for members in `timeZone` and checks every member. */
export type SeedAt = (now: number, timeZone: string) => Promise<void>;
