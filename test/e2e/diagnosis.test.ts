import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { corrupt } from "../support/corrupt.js";
import { bind, DiagnosisScenarios } from "../support/diagnosis-scenarios.js";
import { ids, stepStatus } from "../support/diagnosis-shape.js";
import { TEST_ENGINES } from "../test-database.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** One scenario per cause: the diagnosis names it first, with the records it rests on and the remedy. */
describe.each(TEST_ENGINES)("diagnosis of each cause on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s?.stop());

  const scenarios = new DiagnosisScenarios(() => s);
  const { member, buy, vip, diagnose, detail } = bind(scenarios);

  describe("membership_status", () => {
    it("NO_MEMBERSHIP: never paid; the benefit's rules and the scenario are not judged", async () => {
      const m = await member("none");
      const d = await diagnose(m, { benefit: "ad_free" });
      expect(d).toMatchObject({ memberId: m, benefit: "ad_free", allowed: false, verdict: "not_working" });
      expect(d.findings[0]).toMatchObject({
        code: "NO_MEMBERSHIP",
        cause: "membership_status",
        remedy: { actor: "member", action: "pay" },
      });
      expect(d.causes).toEqual(["membership_status"]);
      expect(ids(d.findings[0], "timeline")).toHaveLength(1);
      expect(stepStatus(d)).toEqual({
        membership_status: "fail",
        benefit_rules: "skip",
        scenario: "skip",
        refresh_client: "skip",
        update_client: "skip",
      });
    });

    it("MEMBERSHIP_EXPIRED: the membership that ended and the order that bought it", async () => {
      const { memberId, order } = await vip("expired");
      s.clock.advance(40 * DAY);
      await s.app.scheduler.runDue();
      const [membership] = (await detail(memberId)).memberships;
      const d = await diagnose(memberId, { benefit: "ad_free" });
      expect(d.findings[0]).toMatchObject({
        code: "MEMBERSHIP_EXPIRED",
        cause: "membership_status",
        details: { expiredAt: membership.expiresAt },
        remedy: { actor: "member", action: "pay" },
      });
      expect(ids(d.findings[0], "membership")).toEqual([membership.id]);
      expect(ids(d.findings[0], "order")).toEqual([order.orderId]);
      expect(d.findings[0].evidence.find((e) => e.type === "membership")?.data.expiresAt).toBe(
        membership.expiresAt,
      );
      expect(stepStatus(d).membership_status).toBe("fail");
      expect(stepStatus(d).benefit_rules).toBe("skip");
    });

    it("MEMBERSHIP_REVOKED: the refunded order and its refund's webhook id", async () => {
      const m = await member("refunded");
      const order = await buy(m, "vip_month", `msg_pay_${m}`);
      expect((await s.refund(order.orderId, order.amount.amount, `msg_refund_${m}`)).status).toBe(200);
      const d = await diagnose(m, { benefit: "ad_free" });
      const [first] = d.findings;
      expect(first).toMatchObject({
        code: "MEMBERSHIP_REVOKED",
        cause: "membership_status",
        details: { orderId: order.orderId },
        remedy: { action: "pay" },
      });
      const [membership] = (await detail(m)).memberships;
      expect(ids(first, "membership")).toEqual([membership.id]);
      expect(ids(first, "order")).toEqual([order.orderId]);
      expect(ids(first, "payment_event")).toEqual([`msg_pay_${m}`, `msg_refund_${m}`]);
      expect(first.evidence.find((e) => e.id === `msg_refund_${m}`)?.data.type).toBe("payment.refunded");
    });

    it("TIER_NOT_ELIGIBLE: a VIP asking for an SVIP benefit, with the tiers that include it", async () => {
      const { memberId } = await vip("tier");
      const d = await diagnose(memberId, { benefit: "svip_concierge" });
      expect(d.findings[0]).toMatchObject({
        code: "TIER_NOT_ELIGIBLE",
        cause: "membership_status",
        details: { tier: "vip", tiers: ["svip"] },
        remedy: { action: "upgrade_tier" },
      });
      const [membership] = (await detail(memberId)).memberships;
      expect(ids(d.findings[0], "membership")).toEqual([membership.id]);
      expect(ids(d.findings[0], "catalog_version")).toEqual(["1"]);
    });
  });

  describe("rule_condition", () => {
    it("NOT_YET_EFFECTIVE: the member price starts the next day; remedy wait until then", async () => {
      const { memberId } = await vip("nye");
      const d = await diagnose(memberId, { benefit: "member_discount" });
      const [first] = d.findings;
      expect(first).toMatchObject({ code: "NOT_YET_EFFECTIVE", cause: "rule_condition" });
      expect(first.remedy).toEqual({
        actor: "member",
        action: "wait",
        until: first.details.effectiveFrom,
      });
      const grant = (await detail(memberId)).grants.find((g: any) => g.benefit === "member_discount");
      expect(ids(first, "grant")).toEqual([grant.id]);
      expect(ids(first, "catalog_version")).toEqual([String(grant.catalogVersion)]);
      expect(stepStatus(d)).toMatchObject({ membership_status: "pass", benefit_rules: "fail" });
    });

    it("OUT_OF_SCOPE: a sale item for the member price fails the scenario step", async () => {
      const { memberId } = await vip("scope");
      s.clock.advance(DAY + MINUTE);
      const d = await diagnose(memberId, {
        benefit: "member_discount",
        context: { product: { id: "b1", category: "books", onSale: true } },
      });
      expect(d.findings[0]).toMatchObject({
        code: "OUT_OF_SCOPE",
        cause: "rule_condition",
        details: { dimension: "sale_item" },
      });
      const grant = (await detail(memberId)).grants.find((g: any) => g.benefit === "member_discount");
      expect(ids(d.findings[0], "grant")).toEqual([grant.id]);
      expect(stepStatus(d)).toMatchObject({
        membership_status: "pass",
        benefit_rules: "pass",
        scenario: "fail",
      });
    });

    it("CLAIM_REQUIRED and TOGGLE_OFF: the member's own next step", async () => {
      const { memberId } = await vip("act");
      const grants = (await detail(memberId)).grants;
      const claim = await diagnose(memberId, { benefit: "monthly_gift" });
      expect(claim.findings[0]).toMatchObject({
        code: "CLAIM_REQUIRED",
        cause: "rule_condition",
        remedy: { actor: "member", action: "claim" },
      });
      expect(ids(claim.findings[0], "grant")).toEqual([
        grants.find((g: any) => g.benefit === "monthly_gift").id,
      ]);
      const toggle = await diagnose(memberId, { benefit: "hd_download_boost" });
      expect(toggle.findings[0]).toMatchObject({
        code: "TOGGLE_OFF",
        cause: "rule_condition",
        remedy: { actor: "member", action: "toggle_on" },
      });
      expect(ids(toggle.findings[0], "grant")).toEqual([
        grants.find((g: any) => g.benefit === "hd_download_boost").id,
      ]);
    });

    it("QUOTA_EXHAUSTED: today's downloads used up; wait for the reset", async () => {
      const { memberId } = await vip("quota");
      const use = await s.request("POST", `/v1/members/${memberId}/benefits/hd_downloads/usage`, {
        body: { amount: 10, idempotencyKey: `q-${memberId}` },
      });
      expect(use.status).toBe(200);
      const d = await diagnose(memberId, { benefit: "hd_downloads", context: { usage: 1 } });
      expect(d.findings[0]).toMatchObject({
        code: "QUOTA_EXHAUSTED",
        cause: "rule_condition",
        details: { limit: 10, used: 10, resetAt: use.body.resetAt },
        remedy: { actor: "member", action: "wait", until: use.body.resetAt },
      });
      const grant = (await detail(memberId)).grants.find((g: any) => g.benefit === "hd_downloads");
      expect(ids(d.findings[0], "grant")).toEqual([grant.id]);
    });
  });

  it("account_risk — ACCOUNT_ON_HOLD: the hold placed by support, verify identity", async () => {
    const { memberId } = await vip("hold");
    const placed = await s.request("POST", `/v1/members/${memberId}/holds`, {
      body: { reason: "unusual_location", note: "login from far away" },
    });
    expect(placed.status).toBe(201);
    const d = await diagnose(memberId, { benefit: "ad_free" });
    expect(d.findings[0]).toMatchObject({
      code: "ACCOUNT_ON_HOLD",
      cause: "account_risk",
      details: { holdId: placed.body.holdId, holdReason: "unusual_location" },
      remedy: { actor: "member", action: "verify_identity" },
    });
    expect(ids(d.findings[0], "hold")).toEqual([placed.body.holdId]);
    expect(d.findings[0].evidence.map((e) => e.data.kind)).toContain("hold.placed");
  });

  describe("client_stale", () => {
    it("CLIENT_OUTDATED from the reported session, cited by its id; update_client fails", async () => {
      const { memberId } = await vip("old");
      const token = await s.memberToken(memberId);
      const current = (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body
        .entitlementsVersion as number;
      const session = await s.request("POST", "/v1/me/sessions", {
        auth: token,
        body: { platform: "ios", version: "5.0.0", entitlementsVersion: current },
      });
      expect(session.status).toBe(201);
      const d = await diagnose(memberId, { benefit: "vip_zone" });
      expect(d.findings[0]).toMatchObject({
        code: "CLIENT_OUTDATED",
        cause: "client_stale",
        details: { platform: "ios", version: "5.0.0" },
        remedy: { action: "update_client" },
      });
      expect(ids(d.findings[0], "session")).toEqual([session.body.sessionId]);
      expect(stepStatus(d).update_client).toBe("fail");
    });

    it("CLIENT_OUTDATED from context.client, cited as the request's context", async () => {
      const { memberId } = await vip("oldctx");
      const d = await diagnose(memberId, {
        benefit: "vip_zone",
        context: { client: { platform: "android", version: "5.1.9" } },
      });
      expect(d.findings[0]).toMatchObject({ code: "CLIENT_OUTDATED", cause: "client_stale" });
      expect(d.findings[0].evidence).toEqual([
        { type: "context", id: "client", at: null, data: { platform: "android", version: "5.1.9" } },
      ]);
      expect(stepStatus(d)).toMatchObject({ refresh_client: "skip", update_client: "fail" });
    });

    it("a working benefit reported by a stale client: working, CLIENT_CACHE_STALE, refresh_client", async () => {
      const { memberId } = await vip("stale");
      const token = await s.memberToken(memberId);
      const current = (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body
        .entitlementsVersion as number;
      const session = await s.request("POST", "/v1/me/sessions", {
        auth: token,
        body: { platform: "ios", version: "6.0.0", entitlementsVersion: current - 1 },
      });
      const viaSession = await diagnose(memberId, { benefit: "ad_free" });
      const viaContext = await diagnose(memberId, {
        benefit: "ad_free",
        context: { client: { platform: "web", version: "2.0.0", entitlementsVersion: current - 1 } },
      });
      for (const d of [viaSession, viaContext]) {
        expect(d).toMatchObject({ allowed: true, verdict: "working", causes: ["client_stale"] });
        expect(d.findings).toHaveLength(1);
        expect(d.findings[0]).toMatchObject({
          code: "CLIENT_CACHE_STALE",
          cause: "client_stale",
          details: { clientVersion: current - 1, serverVersion: current },
          remedy: { actor: "member", action: "refresh_client" },
        });
        expect(stepStatus(d)).toEqual({
          membership_status: "pass",
          benefit_rules: "pass",
          scenario: "pass",
          refresh_client: "fail",
          update_client: "pass",
        });
      }
      expect(ids(viaSession.findings[0], "session")).toEqual([session.body.sessionId]);
      expect(ids(viaContext.findings[0], "context")).toEqual(["client"]);
    });
  });

  it("system_fault — a deleted grant is repaired on the spot: working, STATE_INCONSISTENT autoFixed", async () => {
    const { memberId } = await vip("fault");
    const [membership] = (await detail(memberId)).memberships;
    await corrupt.grantMissing(s.database.db, memberId, "ad_free");
    s.app.cache.invalidate(memberId);
    const d = await diagnose(memberId, { benefit: "ad_free" });
    expect(d).toMatchObject({ allowed: true, verdict: "working", causes: ["system_fault"] });
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({
      code: "STATE_INCONSISTENT",
      cause: "system_fault",
      details: { problem: "grant_missing", membershipId: membership.id, autoFixed: true },
      autoFixed: true,
      remedy: { action: "refresh_client" },
    });
    // The timeline API shows no entry ids; evidence cites the stored row's.
    const repaired = await s.database.db
      .selectFrom("timeline")
      .select(["id", "data"])
      .where("member_id", "=", memberId)
      .where("kind", "=", "reconcile.repaired")
      .execute();
    expect(repaired).toHaveLength(1);
    expect(ids(d.findings[0], "timeline")).toEqual([String(repaired[0].id)]);
    // The repaired rows as they are now: the membership and the grant the repair inserted.
    const grant = (await detail(memberId)).grants.find((g: any) => g.benefit === "ad_free");
    expect(ids(d.findings[0], "membership")).toEqual([membership.id]);
    expect(ids(d.findings[0], "grant")).toEqual([grant.id]);
    expect(ids(d.findings[0], "order")).toEqual([membership.sourceOrderId]);
    expect(d.findings[0].evidence.find((e) => e.type === "timeline")?.data).toMatchObject({
      kind: "reconcile.repaired",
      drift: "grant_missing",
    });
    // Healed: asked again, there is nothing left to report.
    const again = await diagnose(memberId, { benefit: "ad_free" });
    expect(again.findings).toEqual([]);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
  });
});
