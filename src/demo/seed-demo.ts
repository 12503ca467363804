import { Webhook } from "standardwebhooks";
import { type App, createApp } from "../app.js";
import { ManualClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { DEMO_CATALOG } from "./demo-catalog.js";

const DAY = 24 * 3600 * 1000;

/** The demo members, each in one of the states a member can be in. */
export const DEMO_MEMBERS = [
  { id: "demo-vip", displayName: "Li Wei (active VIP)", locale: "zh-CN" },
  { id: "demo-svip", displayName: "Alice (SVIP, boost on)", locale: "en" },
  { id: "demo-pending", displayName: "Wang Fang (payment pending)", locale: "zh-CN" },
  { id: "demo-expired", displayName: "Zhang Min (expired)", locale: "zh-CN" },
  { id: "demo-refunded", displayName: "Bob (refunded)", locale: "en" },
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
  const app = await createApp({ ...options, clock });
  if (await app.data.members.get("demo-vip")) return false;
  if (!app.catalog.peek()) await app.catalog.put({ ...DEMO_CATALOG, notice: "Demo catalog" });
  for (const m of DEMO_MEMBERS)
    await app.members.upsert({ id: m.id, displayName: m.displayName, locale: m.locale });
  const order = (memberId: string, plan: string) =>
    app.orders.create({ memberId, plan, channel: "official_app" });

  // Paid 40 days ago for a month: expired ten days ago.
  clock.set(options.now - 40 * DAY);
  const expired = await order("demo-expired", "vip_month");
  await pay(app, options.paymentSecret, expired.orderId, expired.amount.amount);

  // Paid two days ago: every benefit, including the next-day member discount, is in effect.
  clock.set(options.now - 2 * DAY);
  const vip = await order("demo-vip", "vip_year");
  await pay(app, options.paymentSecret, vip.orderId, vip.amount.amount);
  const svip = await order("demo-svip", "svip_month");
  await pay(app, options.paymentSecret, svip.orderId, svip.amount.amount);
  await app.benefits.toggle("demo-svip", "hd_download_boost", true, "member");
  await app.benefits.claim("demo-svip", "monthly_gift", "member");
  const refunded = await order("demo-refunded", "vip_month");
  await pay(app, options.paymentSecret, refunded.orderId, refunded.amount.amount);

  clock.set(options.now - DAY);
  await pay(app, options.paymentSecret, refunded.orderId, refunded.amount.amount, "payment.refunded");

  // Ordered an hour ago; the payment provider has not confirmed yet.
  clock.set(options.now - 3600 * 1000);
  await order("demo-pending", "vip_month");
  return true;
}
