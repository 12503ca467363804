import type { App } from "../app.js";
import type { ManualClock } from "../clock.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The demo member on hold. */
export const HOLD_DEMO_MEMBER = {
  id: "demo-hold",
  displayName: "Huang Jing (VIP on hold: unusual login)",
  locale: "zh-CN",
} as const;

/**
 * Puts `demo-hold` on hold through the real path: a paid annual VIP who logs in from Shanghai
 * three times, then, an hour after the last, from Los Angeles — the `unusual_location` rule holds
 * every benefit until the member verifies their identity. Call it from the demo seed with the seed's
 * app and clock once the catalog is in place (before the seed runs its due jobs); `buy` orders a
 * plan and delivers its signed payment, as the seed does for the other members; `timezone` is the
 * demo members'. Leaves the clock at `now`.
 */
export async function seedHoldDemo(
  app: App,
  clock: ManualClock,
  buy: (memberId: string, plan: string) => Promise<unknown>,
  now: number,
  timezone: string,
): Promise<void> {
  const m = HOLD_DEMO_MEMBER;
  await app.members.upsert({ id: m.id, displayName: m.displayName, locale: m.locale, timezone });
  clock.set(now - 2 * DAY);
  await buy(m.id, "vip_year");
  const login = (country: string, city: string, deviceId: string) =>
    app.signals.record(m.id, { type: "login", deviceId, ip: "198.51.100.23", country, city });
  for (const ago of [4 * HOUR, 3 * HOUR, 2 * HOUR]) {
    clock.set(now - ago);
    await login("CN", "Shanghai", "demo-hold-phone");
  }
  clock.set(now - HOUR);
  await login("US", "Los Angeles", "demo-hold-laptop");
  clock.set(now);
}
