import { DateTime } from "luxon";
import { Webhook } from "standardwebhooks";
import { type App, startApp } from "../app.js";
import { ManualClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { AppError } from "../errors.js";
import { DEFAULT_TIME_ZONE } from "../time/durations.js";
import { DEMO_CATALOG } from "./demo-catalog.js";
import { createDemoSeedStore } from "./demo-seed-store.js";
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
  /** The demo members' time zone (tests seed members in DST zones); default Asia/Shanghai. */
  timeZone?: string;
}

/** Stops the seed on the first result that is not what the demo needs: a half-right demo misleads. */
function seedStep(ok: boolean, what: string): asserts ok {
  if (!ok) throw new AppError("INTERNAL", `The demo seed failed: ${what}.`);
}

/** Signs and delivers a payment event the way a provider would; the payment must be applied. */
async function pay(app: App, secret: string, orderId: string, amount: number, type = "payment.succeeded") {
  const body = JSON.stringify({ type, data: { orderId, amount } });
  const id = `demo_${orderId}_${type}`;
  const at = new Date(app.clock.now());
  const signature = new Webhook(secret).sign(id, at, body);
  const result = await app.payments.receive(body, {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  });
  seedStep(result.outcome === "applied", `${type} of order ${orderId} was ${result.outcome}`);
}

/**
 * Seeds the demo catalog and members through the real services (orders, signed payment events),
 * so the demo shows exactly what production would. Every time is relative to `now`, so it seeds
 * the same states on any day. Returns false when the demo was seeded already; throws (CONFLICT)
 * on a database that a seed left half-done or that holds a catalog of its own.
 */
export async function seedDemo(options: SeedOptions): Promise<boolean> {
  const seeds = createDemoSeedStore(options.database.db);
  const earlier = await seeds.get();
  if (earlier?.completedAt) return false;
  if (earlier) throw halfSeeded(earlier.startedAt);
  const clock = new ManualClock(options.now);
  // Seeding numbers no events itself: the server that starts next numbers them in batches.
  const app = await startApp({ ...options, clock, events: { dispatchOnCommit: false } });
  if (app.catalog.peek() || (await app.data.members.get("demo-vip"))) throw notEmpty();
  if (!(await seeds.start(options.now))) throw halfSeeded(new Date(options.now));
  await seedMembers(app, clock, options);
  await seeds.complete();
  return true;
}

function halfSeeded(startedAt: Date): AppError {
  return new AppError(
    "CONFLICT",
    `The demo seed that started at ${startedAt.toISOString()} did not finish, so this database holds half a demo. ` +
      "Start again with a fresh database: delete the data directory (rm -rf .perkwise, or your PERKWISE_DATA_DIR), " +
      "or use serve --memory.",
  );
}

function notEmpty(): AppError {
  return new AppError(
    "CONFLICT",
    "This database already has a catalog or members of its own, so the demo is not seeded into it. " +
      "Start without --demo, or give the demo its own data directory (PERKWISE_DATA_DIR) or serve --memory.",
  );
}

async function seedMembers(app: App, clock: ManualClock, options: SeedOptions) {
  const { now, paymentSecret } = options;
  const timezone = options.timeZone ?? DEFAULT_TIME_ZONE;
  // The catalog was published before anyone bought (46 days back, before the first demo payment).
  clock.set(now - 46 * DAY);
  await app.catalog.put({ ...DEMO_CATALOG, notice: "Demo catalog" });
  for (const m of DEMO_MEMBERS.filter((d) => d.id !== HOLD_DEMO_MEMBER.id))
    await app.members.upsert({ id: m.id, displayName: m.displayName, locale: m.locale, timezone });
  const order = (memberId: string, plan: string) =>
    app.orders.create({ memberId, plan, channel: "official_app" });

  const buy = async (memberId: string, plan: string) => {
    const placed = await order(memberId, plan);
    await pay(app, paymentSecret, placed.orderId, placed.amount.amount);
    return placed;
  };

  // Paid 45 days ago for a month: expired two weeks ago or more, and its week of grace is over too.
  clock.set(now - 45 * DAY);
  await buy("demo-expired", "vip_month");

  // A month that ran out yesterday (or up to three days before, when yesterday is a day no month
  // ends on, such as 30 March): the week of grace keeps benefits on.
  clock.set(monthBefore(now - DAY, timezone));
  await buy("demo-grace", "vip_month");

  // VIP ten days ago, SVIP two days ago: an upgrade, with the unused VIP days as extra SVIP time.
  clock.set(now - 10 * DAY);
  await buy("demo-upgraded", "vip_month");
  clock.set(now - 2 * DAY);
  await buy("demo-upgraded", "svip_month");

  // SVIP five days ago, then VIP yesterday: the downgrade waits for the end of the SVIP term.
  clock.set(now - 5 * DAY);
  await buy("demo-downgrade", "svip_month");
  clock.set(now - DAY);
  await buy("demo-downgrade", "vip_month");

  // Paid two days ago: every benefit, including the next-day member discount, is in effect.
  clock.set(now - 2 * DAY);
  await buy("demo-vip", "vip_year");
  await buy("demo-svip", "svip_month");
  const boost = await app.benefits.toggle("demo-svip", "hd_download_boost", true, "member");
  seedStep(boost.on, "demo-svip's HD download boost did not switch on");
  await app.benefits.claim("demo-svip", "monthly_gift", "member");
  const refunded = await buy("demo-refunded", "vip_month");

  clock.set(now - DAY);
  await pay(app, paymentSecret, refunded.orderId, refunded.amount.amount, "payment.refunded");

  // Ordered an hour ago; the payment provider has not confirmed yet.
  clock.set(now - 3600 * 1000);
  await order("demo-pending", "vip_month");

  // Jobs fall due in time order; half an hour ago the operator raised vip_zone's minimum app version.
  await runJobsUntil(app, clock, now - 30 * 60 * 1000);
  await seedRuleChange(app, clock, now);

  // Paid two days ago; a login from another country an hour ago put the account on hold.
  await seedHoldDemo(app, clock, buy, now, timezone);

  // Paid two days ago; the app, an old version, still shows the membership as it was before paying.
  clock.set(now - 2 * DAY);
  await buy("demo-oldapp", "vip_month");
  clock.set(now - 2 * DAY + 60_000);
  await app.sessions.report("demo-oldapp", { platform: "ios", version: "5.0.0", entitlementsVersion: 1 });
  await runJobsUntil(app, clock, now);

  // Today's ten HD downloads are used up: the next one waits for midnight in the member's time zone.
  for (const [n, amount] of [4, 4, 2].entries()) {
    const used = await app.quotas.consume(
      "demo-vip",
      "hd_downloads",
      { amount, idempotencyKey: `demo-download-${n}` },
      null,
    );
    seedStep(used.kind === "consumed", `demo-vip's download ${n} was refused`);
  }

  // The member coupons of the month bought two days ago, claimed; Alice already used one on a shop order.
  await app.benefits.claim("demo-vip", "monthly_coupons", "member");
  await app.benefits.claim("demo-svip", "monthly_coupons", "member");
  const { coupons } = await app.coupons.list("demo-svip", "en");
  const books = coupons.find((c) => c.code === "books_20_off_100" && c.state === "available");
  seedStep(books !== undefined, "demo-svip holds no available books_20_off_100 coupon");
  const redeemed = await app.redemptions.redeem(
    { memberId: "demo-svip", orderRef: DEMO_SHOP_ORDER, coupons: [books.couponId] },
    "service",
  );
  seedStep(redeemed.kind === "redeemed", `demo-svip's coupon was refused for ${DEMO_SHOP_ORDER}`);
  await app.redemptions.complete(DEMO_SHOP_ORDER, "service");
}

/** The shop order demo-svip used a coupon on. */
export const DEMO_SHOP_ORDER = "demo-shop-1001";

/**
 * One calendar month before `end` in `timeZone`: a month bought then expires at `end`, or up to three
 * days earlier when no month ends on `end`'s day (nothing bought plus P1M ends on 29–31 March).
 */
function monthBefore(end: number, timeZone: string): number {
  return DateTime.fromMillis(end, { zone: timeZone }).minus({ months: 1 }).toMillis();
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
