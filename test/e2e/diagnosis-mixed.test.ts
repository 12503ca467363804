import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { corrupt } from "../support/corrupt.js";
import { bind, DiagnosisScenarios } from "../support/diagnosis-scenarios.js";
import { codes, type Finding, ids, stepStatus } from "../support/diagnosis-shape.js";
import { TEST_ENGINES } from "../test-database.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HAN = /[\u4e00-\u9fff]/;

/** Several causes at once, locales, authorization, and the edge cases of a diagnosis. */
describe.each(TEST_ENGINES)("diagnosis: several causes, locales, access on $name", (engine) => {
  let s: TestServer;
  let support: string;
  let service: string;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    support = (await s.request("POST", "/v1/api-keys", { body: { name: "agent", role: "support" } })).body
      .key;
    service = (await s.request("POST", "/v1/api-keys", { body: { name: "backend", role: "service" } })).body
      .key;
  });
  afterAll(() => s?.stop());

  const { member, buy, diagnose } = bind(new DiagnosisScenarios(() => s));

  it("an outdated app and a hold: both reported, verifying identity (the hold) first", async () => {
    const m = await member("multi");
    await buy(m);
    const hold = await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "shared_device" } });
    expect(hold.status).toBe(201);
    const d = await diagnose(m, {
      benefit: "vip_zone",
      context: { client: { platform: "ios", version: "5.0.0" } },
    });
    expect(d.verdict).toBe("not_working");
    expect(codes(d)).toEqual(["ACCOUNT_ON_HOLD", "CLIENT_OUTDATED"]);
    expect(d.causes).toEqual(["account_risk", "client_stale"]);
    expect(d.findings.map((f: Finding) => f.remedy.action)).toEqual(["verify_identity", "update_client"]);
    expect(ids(d.findings[0], "hold")).toEqual([hold.body.holdId]);
    expect(stepStatus(d)).toMatchObject({ membership_status: "fail", update_client: "fail" });
  });

  it("a renewal awaiting payment after the membership expired: wait for it, not pay again", async () => {
    const m = await member("renew");
    await buy(m);
    s.clock.advance(40 * DAY);
    await s.app.scheduler.runDue();
    const renewal = await s.createOrder(m, "vip_month");
    const d = await diagnose(m, { benefit: "ad_free" });
    expect(codes(d)).toEqual(["PAYMENT_PENDING", "MEMBERSHIP_EXPIRED"]);
    expect(d.findings[0].details.orderId).toBe(renewal.orderId);
    expect(d.findings[0].message).toContain("do not need to pay again");
  });

  it("a deleted grant under a hold: repaired on the spot, the hold still reported first", async () => {
    const m = await member("faulthold");
    await buy(m);
    await corrupt.grantMissing(s.database.db, m, "ad_free");
    s.app.cache.invalidate(m);
    await s.request("POST", `/v1/members/${m}/holds`, { body: { reason: "manual" } });
    const d = await diagnose(m, { benefit: "ad_free" });
    expect(codes(d)).toEqual(["ACCOUNT_ON_HOLD", "STATE_INCONSISTENT"]);
    expect(d.findings[1]).toMatchObject({ autoFixed: true, cause: "system_fault" });
  });

  it("a repaired fault does not fail a self-check step: the membership is in order again", async () => {
    const m = await member("healed");
    await buy(m);
    await corrupt.grantMissing(s.database.db, m, "ad_free");
    s.app.cache.invalidate(m);
    const d = await diagnose(m, { benefit: "ad_free" });
    expect(d.verdict).toBe("working");
    expect(stepStatus(d)).toMatchObject({
      membership_status: "pass",
      benefit_rules: "pass",
      scenario: "pass",
    });
  });

  it("{orderId}: the answer states the order's age and the expected wait", async () => {
    const m = await member("age");
    const order = await s.createOrder(m, "vip_month");
    s.clock.advance(3 * MINUTE);
    const token = await s.memberToken(m);
    const en = await s.request("POST", "/v1/me/diagnose", {
      auth: token,
      body: { benefit: "ad_free", orderId: order.orderId },
    });
    expect(en.body.findings[0].details).toMatchObject({
      ageSeconds: 180,
      expectedWaitSeconds: 300,
      flagAfterSeconds: 1800,
    });
    expect(en.body.findings[0].message).toMatch(/3 minutes ago/);
    expect(en.body.findings[0].message).toMatch(/within 5 minutes/);
    await s.createMember(m, { locale: "zh-CN" });
    const zh = await s.request("POST", "/v1/me/diagnose", {
      auth: token,
      body: { benefit: "ad_free", orderId: order.orderId },
    });
    expect(zh.body.findings[0].message).toMatch(/3分钟前/);
    expect(zh.body.findings[0].message).toMatch(/5分钟内/);
  });

  it("{orderId} of a paid order: nothing pending, no PAYMENT_PENDING", async () => {
    const m = await member("paid");
    const order = await buy(m);
    const d = await diagnose(m, { benefit: "ad_free", orderId: order.orderId });
    expect(d.verdict).toBe("working");
    expect(codes(d)).toEqual([]);
  });

  it("{orderId} of a renewal still pending while the membership runs: working, the wait reported", async () => {
    const m = await member("renewing");
    await buy(m);
    const renewal = await s.createOrder(m, "vip_month");
    const d = await diagnose(m, { benefit: "ad_free", orderId: renewal.orderId });
    expect(d.verdict).toBe("working");
    expect(d.findings[0]).toMatchObject({ code: "PAYMENT_PENDING", details: { orderId: renewal.orderId } });
    expect(stepStatus(d).membership_status).toBe("pass");
  });

  it("overdue orders flagged once even when diagnosed concurrently", async () => {
    const m = await member("race");
    const order = await s.createOrder(m, "vip_month");
    s.clock.advance(45 * MINUTE);
    const token = await s.memberToken(m);
    const all = await Promise.all(
      Array.from({ length: 4 }, () =>
        s.request("POST", "/v1/me/diagnose", {
          auth: token,
          body: { benefit: "ad_free", orderId: order.orderId },
        }),
      ),
    );
    for (const res of all) expect(res.body.findings[0].details.flaggedForSupport).toBe(true);
    const outbox = await s.app.data.outbox.listForMember(m);
    expect(outbox.filter((e) => e.type === "support.payment_overdue")).toHaveLength(1);
  });

  it("for a platform's backend, messages and steps follow the member's locale, else Accept-Language", async () => {
    const asService = async (memberId: string, language: string) => {
      const res = await s.request("POST", `/v1/members/${memberId}/diagnose`, {
        auth: service,
        body: { benefit: "svip_concierge" },
        headers: { "accept-language": language },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const zhMember = await member("zh", { locale: "zh-CN" });
    await buy(zhMember);
    const zh = await asService(zhMember, "en");
    expect(zh.findings[0].message).toMatch(HAN);
    for (const step of zh.steps) expect(step.detail, step.step).toMatch(HAN);

    const noLocale = await member("nolocale", {});
    await buy(noLocale);
    const en = await asService(noLocale, "en-US");
    expect(en.findings[0].message).toContain("not included in your VIP membership");
    for (const step of en.steps) expect(step.detail, step.step).not.toMatch(HAN);
    const zhHeader = await asService(noLocale, "zh-CN");
    expect(zhHeader.findings[0].message).toMatch(HAN);

    // Support reads the diagnosis itself, in the console's language: its explicit choice wins.
    const agent = await diagnose(zhMember, { benefit: "svip_concierge" }, { "accept-language": "en" });
    expect(agent.findings[0].message).toContain("not included in your VIP membership");
    for (const step of agent.steps) expect(step.detail, step.step).not.toMatch(HAN);
  });

  it("in grace: working, the membership step says until when benefits stay on", async () => {
    const m = await member("grace");
    await buy(m);
    const [membership] = (await s.request("GET", `/v1/members/${m}`)).body.memberships;
    s.clock.set(Date.parse(membership.expiresAt) + DAY);
    const d = await diagnose(m, { benefit: "ad_free" });
    expect(d.verdict).toBe("working");
    expect(codes(d)).toEqual(["MEMBERSHIP_IN_GRACE"]);
    expect(d.findings[0].remedy.action).toBe("pay");
    const step = d.steps.find((x) => x.step === "membership_status");
    if (!step) throw new Error("no membership_status step");
    expect(step.status).toBe("pass");
    // Not "active until" a date already past.
    expect(step.detail).not.toContain("active until");
    expect(step.detail).toContain("grace period");
  });

  it("authorization: service and support keys diagnose anyone; a member token only itself", async () => {
    const a = await member("auth-a");
    const b = await member("auth-b");
    await buy(a);
    for (const key of [service, support]) {
      const res = await s.request("POST", `/v1/members/${a}/diagnose`, {
        auth: key,
        body: { benefit: "ad_free" },
      });
      expect(res.status).toBe(200);
      expect(res.body.memberId).toBe(a);
    }
    const tokenB = await s.memberToken(b);
    const asB = await s.request("POST", `/v1/members/${a}/diagnose`, {
      auth: tokenB,
      body: { benefit: "ad_free" },
    });
    expect(asB.status).toBe(403);
    const mine = await s.request("POST", "/v1/me/diagnose", { auth: tokenB, body: { benefit: "ad_free" } });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ memberId: b, verdict: "not_working" });
    expect(codes(mine.body)).toEqual(["NO_MEMBERSHIP"]);
    expect(
      (await s.request("POST", "/v1/me/diagnose", { auth: service, body: { benefit: "ad_free" } })).status,
    ).toBe(403);
    expect(
      (await s.request("POST", `/v1/members/${a}/diagnose`, { auth: null, body: { benefit: "ad_free" } }))
        .status,
    ).toBe(401);
  });

  it("bad requests: unknown benefit or member 404, unknown fields 400", async () => {
    const m = await member("bad");
    const ghost = await s.request("POST", `/v1/members/${m}/diagnose`, { body: { benefit: "ghost" } });
    expect([ghost.status, ghost.body.error.code]).toEqual([404, "BENEFIT_NOT_FOUND"]);
    const nobody = await s.request("POST", "/v1/members/nobody-here/diagnose", {
      body: { benefit: "ad_free" },
    });
    expect([nobody.status, nobody.body.error.code]).toEqual([404, "MEMBER_NOT_FOUND"]);
    const extra = await s.request("POST", `/v1/members/${m}/diagnose`, {
      body: { benefit: "ad_free", extra: 1 },
    });
    expect([extra.status, extra.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
  });
});

/** v1: the demo catalog with member prices on books and music. */
function v1(): CatalogDocument {
  const doc = structuredClone(DEMO_CATALOG);
  const discount = doc.benefits.find((b) => b.code === "member_discount")!;
  discount.rules = { scope: { categories: ["books", "music"], excludeSaleItems: true } };
  return doc;
}

/** v2: member prices narrowed to books, the VIP zone needs app 5.3.0, monthly_gift dropped from vip. */
function v2(): CatalogDocument {
  const doc = v1();
  doc.benefits.find((b) => b.code === "member_discount")!.rules!.scope!.categories = ["books"];
  const zone = doc.benefits.find((b) => b.code === "vip_zone")!;
  zone.rules = { minClientVersion: "5.3.0" };
  const vip = doc.tiers.find((t) => t.code === "vip")!;
  vip.benefits = vip.benefits.filter((b) => b !== "monthly_gift");
  return doc;
}

describe.each(TEST_ENGINES)("diagnosis of rule changes on $name", (engine) => {
  let s: TestServer;
  const grantOf = async (memberId: string, benefit: string) =>
    (await s.request("GET", `/v1/members/${memberId}`)).body.grants.find(
      (g: { benefit: string }) => g.benefit === benefit,
    );

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(v1());
    await s.createMember("rc", { locale: "en" });
    const order = await s.createOrder("rc", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    s.clock.advance(2 * DAY);
    const put = await s.request("PUT", "/v1/catalog", { body: { ...v2(), policy: "apply_now" } });
    expect(put.status).toBe(200);
    await s.app.scheduler.runDue();
  });
  afterAll(() => s?.stop());

  it("RULE_CHANGED: a narrowed scope, cited with the catalog version and the member's grant", async () => {
    const d = (
      await s.request("POST", "/v1/members/rc/diagnose", {
        body: { benefit: "member_discount", context: { product: { category: "music" } } },
      })
    ).body;
    expect(codes(d)).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
    expect(d.causes).toEqual(["rule_condition", "rule_change"]);
    const changed = d.findings[1];
    expect(changed).toMatchObject({
      cause: "rule_change",
      details: { version: 2, field: "rules.scope.categories", before: ["books", "music"], after: ["books"] },
      remedy: { action: "none" },
    });
    const grant = await grantOf("rc", "member_discount");
    expect(ids(changed, "catalog_version")).toEqual(["2", "1"]);
    expect(ids(changed, "grant")).toEqual([grant.id]);
    expect(stepStatus(d)).toMatchObject({ benefit_rules: "fail", scenario: "fail" });
  });

  it("RULE_CHANGED with an app that was new enough: update the app first", async () => {
    const d = (
      await s.request("POST", "/v1/members/rc/diagnose", {
        body: { benefit: "vip_zone", context: { client: { platform: "ios", version: "5.2.0" } } },
      })
    ).body;
    expect(codes(d)).toEqual(["CLIENT_OUTDATED", "RULE_CHANGED"]);
    expect(d.findings[0].remedy.action).toBe("update_client");
    expect(d.findings[1].details).toMatchObject({ version: 2, before: "5.2.0", after: "5.3.0" });
  });

  it("BENEFIT_WITHDRAWN: the tier dropped it in version 2; upgrade to a tier that has it", async () => {
    const d = (await s.request("POST", "/v1/members/rc/diagnose", { body: { benefit: "monthly_gift" } }))
      .body;
    expect(d.findings[0]).toMatchObject({
      code: "BENEFIT_WITHDRAWN",
      cause: "rule_change",
      details: { version: 2, tier: "vip", tiers: ["svip"] },
      remedy: { action: "upgrade_tier" },
    });
    const grant = await grantOf("rc", "monthly_gift");
    expect(ids(d.findings[0], "catalog_version")).toContain("2");
    if (grant) expect(ids(d.findings[0], "grant")).toEqual([grant.id]);
    expect(stepStatus(d).benefit_rules).toBe("fail");
  });
});
