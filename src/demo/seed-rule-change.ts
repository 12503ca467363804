import type { App } from "../app.js";
import type { ManualClock } from "../clock.js";

/** The member whose notice and RULE_CHANGED denial the demo shows. */
export const RULE_CHANGE_DEMO_MEMBER = "demo-vip";

/** The app version the demo member reports: enough before the change, too old after it. */
export const RULE_CHANGE_DEMO_CLIENT = { platform: "ios", version: "5.2.0" } as const;

/**
 * Publishes a rule change through the real services, the way an operator would: the VIP zone now
 * needs app 5.3.0 (it needed 5.2.0), applied at once, with a notice. The activation job then notices
 * every VIP and SVIP member. demo-vip bought under the old rule, so from an iOS 5.2.0 client it is
 * denied with CLIENT_OUTDATED and RULE_CHANGED (`rules.minClientVersion`, 5.2.0 → 5.3.0), and
 * `GET /v1/me/notices` lists the notice. Called at the end of the demo seed, with its clock.
 */
export async function seedRuleChange(app: App, clock: ManualClock, now: number): Promise<void> {
  const current = app.catalog.require();
  if (current.version > 1) return;
  clock.set(now - 30 * 60 * 1000);
  const document = structuredClone(current.document);
  const zone = document.benefits.find((b) => b.code === "vip_zone");
  if (!zone) return;
  zone.rules = { ...zone.rules, minClientVersion: "5.3.0" };
  await app.catalog.put({
    ...document,
    policy: "apply_now",
    notice: {
      en: "The VIP zone now needs app version 5.3.0 or later. Please update the app to keep using it.",
      "zh-CN": "会员专区现需 5.3.0 及以上版本的App，请更新App后继续使用。",
    },
  });
  await app.scheduler.runDue();
}
