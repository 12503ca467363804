import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeededDemo } from "../../test/support/seeded-demo-app.js";
import type { App } from "../app.js";
import type { DatabaseHandle } from "../db/database.js";
import type { ContextInput } from "../decisions/decision-service.js";
import { RULE_CHANGE_DEMO_CLIENT } from "./seed-rule-change.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");
const HAN = /[\u4e00-\u9fff]/;

/** Each troubled demo member, diagnosed on the benefit that shows their trouble: the first finding names it. */
describe("the demo members' diagnoses", () => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    ({ app, database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());

  const diagnose = (memberId: string, benefit: string, context?: ContextInput, orderId?: string) =>
    app.diagnosis.diagnose(memberId, { benefit, context, orderId }, null);
  const codes = (d: { findings: { code: string }[] }) => d.findings.map((f) => f.code);

  it.each([
    ["demo-expired", "ad_free", "MEMBERSHIP_EXPIRED", "pay"],
    ["demo-refunded", "ad_free", "MEMBERSHIP_REVOKED", "pay"],
    ["demo-pending", "ad_free", "PAYMENT_PENDING", "wait"],
    ["demo-hold", "ad_free", "ACCOUNT_ON_HOLD", "verify_identity"],
    ["demo-oldapp", "vip_zone", "CLIENT_OUTDATED", "update_client"],
    ["demo-new", "ad_free", "NO_MEMBERSHIP", "pay"],
    ["demo-vip", "monthly_gift", "CLAIM_REQUIRED", "claim"],
    ["demo-svip", "svip_concierge", null, null],
  ])("%s / %s → %s", async (memberId, benefit, code, action) => {
    const d = await diagnose(memberId, benefit);
    expect(d.verdict).toBe(code === null ? "working" : "not_working");
    if (code === null) expect(d.findings).toEqual([]);
    else expect(d.findings[0]).toMatchObject({ code, remedy: { action } });
    // Each finding says what it rests on, and the checklist is there in full.
    for (const f of d.findings) expect(f.evidence.length, f.code).toBeGreaterThan(0);
    expect(d.steps.map((s) => s.step)).toEqual([
      "membership_status",
      "benefit_rules",
      "scenario",
      "refresh_client",
      "update_client",
    ]);
  });

  it("demo-oldapp: the app is old and its cache stale, both cited from its reported session", async () => {
    const d = await diagnose("demo-oldapp", "vip_zone");
    expect(codes(d)).toEqual(["CLIENT_OUTDATED", "CLIENT_CACHE_STALE"]);
    expect(d.findings[0].evidence).toMatchObject([{ type: "session", data: { version: "5.0.0" } }]);
    expect(d.findings[0].message).toMatch(HAN);
    const working = await diagnose("demo-oldapp", "ad_free");
    expect(working.verdict).toBe("working");
    expect(codes(working)).toEqual(["CLIENT_CACHE_STALE"]);
    expect(working.findings[0].remedy.action).toBe("refresh_client");
  });

  it("demo-vip: today's downloads used up, and the VIP zone after the rule change", async () => {
    const quota = await diagnose("demo-vip", "hd_downloads", { usage: 1 });
    expect(quota.findings[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      details: { limit: 10, used: 10 },
      remedy: { action: "wait" },
    });
    const zone = await diagnose("demo-vip", "vip_zone", { client: RULE_CHANGE_DEMO_CLIENT });
    expect(codes(zone)).toEqual(["CLIENT_OUTDATED", "RULE_CHANGED"]);
    expect(zone.findings[1].details).toMatchObject({ version: 2, before: "5.2.0", after: "5.3.0" });
    expect(zone.findings[1].evidence.map((e) => e.type)).toEqual(
      expect.arrayContaining(["catalog_version", "grant"]),
    );
  });

  it("demo-grace: working, told when the grace period ends", async () => {
    const d = await diagnose("demo-grace", "ad_free");
    expect(d.verdict).toBe("working");
    expect(d.findings[0]).toMatchObject({ code: "MEMBERSHIP_IN_GRACE", remedy: { action: "pay" } });
    expect(d.findings[0].evidence.map((e) => e.type)).toContain("membership");
    expect(d.steps[0].status).toBe("pass");
  });

  it("demo-pending: asked about the order an hour on, it goes to support", async () => {
    const pending = await diagnose("demo-pending", "ad_free");
    const orderId = String(pending.findings[0].details.orderId);
    const d = await diagnose("demo-pending", "ad_free", undefined, orderId);
    expect(d.findings[0]).toMatchObject({
      code: "PAYMENT_PENDING",
      details: { orderId, ageSeconds: 3600, flaggedForSupport: true },
      remedy: { action: "contact_support" },
    });
    // zh-CN member: the age and the usual wait in words.
    expect(d.findings[0].message).toContain("60分钟前下单");
  });
});
