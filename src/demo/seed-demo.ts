import { Webhook } from "standardwebhooks";
import { type App, createApp } from "../app.js";
import { ManualClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { addIsoDuration, DEFAULT_TIME_ZONE } from "../time/durations.js";
import { DEMO_CATALOG } from "./demo-catalog.js";
import { HOLD_DEMO_MEMBER, seedHoldDemo } from "./seed-holds.js";
import { seedRuleChange } from "./seed-rule-change.js";

const DAY = 24 * 3600 * 1000;

/** The demo members, each in one of the states a member can be in. */
export const DEMO_MEMBERS = [
  { id: "demo-vip", displayName: "Li Wei (active VIP)", locale: "zh-CN" },
  { id: "demo-svip", displayName: "Alice (SVIP, boost on)", locale: "en" },
  { id: "demo-pending", displayName: "Wang Fang (payment pending)", locale: "zh-CN" },
  { id: "demo-expired", displayName: "Zhang Min (expired)", locale: "zh-CN" },
  { id: "demo-refunded", displayName: "Bob (refunded)", locale: "en" },
  { id: "demo-grace", displayName: "Liu Yang (expired yesterday, in grace period)", locale: "zh-CN" },
  { id: "demo-upgraded", displayName: "Zhao Lei (upgraded VIP → SVIP)", locale: "zh-CN" },
  { id: "demo-downgrade", displayName: "Sun Li (SVIP, VIP from the next term)", locale: "en" },
  { id: "demo-oldapp", displayName: "Zhou Qiang (VIP, app 5.0.0 with a stale cache)", locale: "zh-CN" },
  HOLD_DEMO_MEMBER,
  { id: "demo-new", displayName: "Chen Jie (never paid)", locale: "zh-CN" },
] as const;

export interface SeedOptions {
  database: DatabaseHandle;
  adminKey: string;
  paymentSecret: string;
  now: number;
}

/** Signs and delivers a payment event the way a provider would. */
async function pay(app: App, secret: string, orderId: string, amount: number, type = "payment.succeeded") {
  const body = JSON.stringify({ type, data: { orderId, amount } });
  const id = `demo_${orderId}_${type}`;
  const at = new Date(app.clock.now());
  const signature = new Webhook(secret).sign(id, at, body);
  await app.payments.receive(body, {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  });
}

/**
 * Seeds the demo catalog and members through the real services (orders, signed payment events),
 * so the demo shows exactly what production would. Returns false when the demo was seeded already.
 */
export async function seedDemo(options: SeedOptions): Promise<boolean> {
  const clock = new ManualClock(options.now);
  // Seeding numbers no events itself: the server that starts next numbers them in batches.
  const app = await createApp({ ...options, clock, events: { dispatchOnCommit: false } });
  if (await app.data.members.get("demo-vip")) return false;
  // The catalog was published before anyone bought (41 days back, before the first demo payment).
  clock.set(options.now - 41 * DAY);
  if (!app.catalog.peek()) await app.catalog.put({ ...DEMO_CATALOG, notice: "Demo catalog" });
  for (const m of DEMO_MEMBERS.filter((d) => d.id !== HOLD_DEMO_MEMBER.id))
    await app.members.upsert({ id: m.id, displayName: m.displayName, locale: m.locale });
  const order = (memberId: string, plan: string) =>
    app.orders.create({ memberId, plan, channel: "official_app" });

  const buy = async (memberId: string, plan: string) => {
    const placed = await order(memberId, plan);
    await pay(app, options.paymentSecret, placed.orderId, placed.amount.amount);
    return placed;
  };

  // Paid 40 days ago for a month: expired ten days ago, and its three days of grace are over too.
  clock.set(options.now - 40 * DAY);
  await buy("demo-expired", "vip_month");

  // A month that ran out yesterday: the grace period keeps benefits on for two more days.
  clock.set(monthBefore(options.now - DAY));
  await buy("demo-grace", "vip_month");

  // VIP ten days ago, SVIP two days ago: an upgrade, with the unused VIP days as extra SVIP time.
  clock.set(options.now - 10 * DAY);
  await buy("demo-upgraded", "vip_month");
  clock.set(options.now - 2 * DAY);
  await buy("demo-upgraded", "svip_month");

  // SVIP five days ago, then VIP yesterday: the downgrade waits for the end of the SVIP term.
  clock.set(options.now - 5 * DAY);
  await buy("demo-downgrade", "svip_month");
  clock.set(options.now - DAY);
  await buy("demo-downgrade", "vip_month");

  // Paid two days ago: every benefit, including the next-day member discount, is in effect.
  clock.set(options.now - 2 * DAY);
  await buy("demo-vip", "vip_year");
  await buy("demo-svip", "svip_month");
  await app.benefits.toggle("demo-svip", "hd_download_boost", true, "member");
  await app.benefits.claim("demo-svip", "monthly_gift", "member");
  const refunded = await buy("demo-refunded", "vip_month");

  clock.set(options.now - DAY);
  await pay(app, options.paymentSecret, refunded.orderId, refunded.amount.amount, "payment.refunded");

  // Ordered an hour ago; the payment provider has not confirmed yet.
  clock.set(options.now - 3600 * 1000);
  await order("demo-pending", "vip_month");

  // Jobs fall due in time order; half an hour ago the operator raised vip_zone's minimum app version.
  await runJobsUntil(app, clock, options.now - 30 * 60 * 1000);
  await seedRuleChange(app, clock, options.now);

  // Paid two days ago; a login from another country an hour ago put the account on hold.
  await seedHoldDemo(app, clock, buy, options.now);

  // Paid two days ago; the app, an old version, still shows the membership as it was before paying.
  clock.set(options.now - 2 * DAY);
  await buy("demo-oldapp", "vip_month");
  clock.set(options.now - 2 * DAY + 60_000);
  await app.sessions.report("demo-oldapp", { platform: "ios", version: "5.0.0", entitlementsVersion: 1 });
  await runJobsUntil(app, clock, options.now);

  // Today's ten HD downloads are used up: the next one waits for midnight in the member's time zone.
  for (const [n, amount] of [4, 4, 2].entries()) {
    await app.quotas.consume(
      "demo-vip",
      "hd_downloads",
      { amount, idempotencyKey: `demo-download-${n}` },
      null,
    );
  }

  // This month's member coupons claimed; Alice already used one on a shop order.
  await app.benefits.claim("demo-vip", "monthly_coupons", "member");
  await app.benefits.claim("demo-svip", "monthly_coupons", "member");
  const { coupons } = await app.coupons.loadForCheckout("demo-svip", clock.now());
  const books = coupons.find((c) => c.template === "books_20_off_100")!;
  await app.redemptions.redeem(
    { memberId: "demo-svip", orderRef: DEMO_SHOP_ORDER, coupons: [books.id] },
    "service",
  );
  await app.redemptions.complete(DEMO_SHOP_ORDER, "service");
  return true;
}

/** The shop order demo-svip used a coupon on. */
export const DEMO_SHOP_ORDER = "demo-shop-1001";

/** An instant one month (in the demo members' time zone) before `end`: a month bought then expires at `end`. */
function monthBefore(end: number): number {
  const guess = end - 31 * DAY;
  // Months are 28 to 31 days long: correct the guess by how far its month's end misses.
  return guess + (end - addIsoDuration(guess, "P1M", DEFAULT_TIME_ZONE));
}

/** Runs the lifecycle jobs that fell due during the seeded past, each at its own time, as a live server would have. */
async function runJobsUntil(app: App, clock: ManualClock, until: number) {
  for (;;) {
    const [next] = await app.data.jobs.list({ statuses: ["pending"], limit: 1 });
    if (!next || next.runAt.getTime() > until) break;
    clock.set(Math.max(clock.now(), next.runAt.getTime()));
    await app.scheduler.runDue();
  }
  clock.set(until);
}
