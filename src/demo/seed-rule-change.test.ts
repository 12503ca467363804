import { describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { startApp } from "../app.js";
import { ManualClock } from "../clock.js";
import { seedDemo } from "./seed-demo.js";
import { RULE_CHANGE_DEMO_CLIENT, RULE_CHANGE_DEMO_MEMBER, seedRuleChange } from "./seed-rule-change.js";

describe("demo rule change", () => {
  it("gives demo-vip a notice and a RULE_CHANGED denial from an iOS 5.2.0 client", async () => {
    const database = await TEST_ENGINES[0].open();
    try {
      const now = Date.parse("2026-11-24T02:00:00Z");
      const secrets = { adminKey: "pwadmin_demo_rule_change_key_012345", paymentSecret: "whsec_ZGVtbw==" };
      await seedDemo({ database, ...secrets, now });
      const clock = new ManualClock(now);
      const app = await startApp({ database, clock, ...secrets });
      await seedRuleChange(app, clock, now);
      const decision = await app.decisions.check(
        {
          memberId: RULE_CHANGE_DEMO_MEMBER,
          benefit: "vip_zone",
          context: { client: RULE_CHANGE_DEMO_CLIENT },
        },
        "en",
      );
      expect(decision.reasons.map((r) => r.code)).toEqual(["CLIENT_OUTDATED", "RULE_CHANGED"]);
      expect(decision.reasons[1].details).toMatchObject({
        field: "rules.minClientVersion",
        before: "5.2.0",
        after: "5.3.0",
      });
      const { notices } = await app.notices.list(RULE_CHANGE_DEMO_MEMBER, "en");
      expect(notices).toHaveLength(1);
      // demo-vip reads Chinese: the member's own locale wins over the request's.
      expect(notices[0].title).toBe("会员权益调整通知（目录版本2）");
      expect(notices[0].message).toContain("5.3.0");
      // Running it again publishes nothing more.
      await seedRuleChange(app, clock, now);
      expect(app.catalog.require().version).toBe(2);
    } finally {
      await database.close();
    }
  }, 60_000);
});
