import { afterAll, describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 24 * 3600 * 1000;
const MUSIC = { product: { category: "music" } };

/** The demo catalog, with member_discount also on music and a `basic` tier the change leaves alone. */
function v1(): CatalogDocument {
  const doc = structuredClone(DEMO_CATALOG);
  const discount = doc.benefits.find((b) => b.code === "member_discount")!;
  discount.rules = { scope: { categories: ["books", "music"], excludeSaleItems: true } };
  doc.tiers.push({
    code: "basic",
    name: { en: "Basic", "zh-CN": "基础会员" },
    rank: 0,
    benefits: ["ad_free"],
    plans: [{ code: "basic_month", period: "P1M", price: { amount: 600, currency: "CNY" } }],
  });
  return doc;
}

/** The change: member_discount narrowed to books, vip_zone dropped from vip. */
function v2(): CatalogDocument {
  const doc = v1();
  doc.benefits.find((b) => b.code === "member_discount")!.rules!.scope!.categories = ["books"];
  const vip = doc.tiers.find((t) => t.code === "vip")!;
  vip.benefits = vip.benefits.filter((b) => b !== "vip_zone");
  return doc;
}

const NOTICE = { en: "Member prices now cover books only.", "zh-CN": "会员价现仅适用于图书。" };
const codes = (decision: { reasons: { code: string }[] }) => decision.reasons.map((r) => r.code);

async function buy(s: TestServer, memberId: string, plan: string) {
  const order = await s.createOrder(memberId, plan);
  const paid = await s.pay(order.orderId, order.amount.amount);
  expect(paid.status).toBe(200);
}

describe.each(TEST_ENGINES)("rule changes over HTTP on $name", (engine) => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  /** A server where `vip-m` (VIP, bought at T0) and `basic-m` hold memberships, two days into the term. */
  async function setUp() {
    // One server at a time: each holds a pool of PostgreSQL connections, and the server is shared.
    await Promise.all(servers.splice(0).map((old) => old.stop()));
    const s = await TestServer.start(engine);
    servers.push(s);
    await s.putCatalog(v1());
    await s.createMember("vip-m", { locale: "en" });
    await s.createMember("basic-m", { locale: "zh-CN" });
    await buy(s, "vip-m", "vip_month");
    await buy(s, "basic-m", "basic_month");
    s.clock.advance(2 * DAY);
    expect((await s.check("vip-m", "member_discount", MUSIC)).allowed).toBe(true);
    expect((await s.check("vip-m", "vip_zone")).allowed).toBe(true);
    return s;
  }

  async function noticesOf(s: TestServer, memberId: string) {
    const res = await s.request("GET", "/v1/me/notices", { auth: await s.memberToken(memberId) });
    expect(res.status).toBe(200);
    return res.body.notices;
  }

  async function outboxTypes(s: TestServer, memberId: string) {
    return (await s.app.data.outbox.listForMember(memberId)).map((e) => e.type);
  }

  it("apply_now: denied at once with the rule's reason and RULE_CHANGED, or BENEFIT_WITHDRAWN; noticed", async () => {
    const s = await setUp();
    const changedAt = s.clock.now();
    const before = (await s.app.data.members.get("basic-m"))!.entitlementsVersion;
    const put = await s.request("PUT", "/v1/catalog", {
      body: { ...v2(), policy: "apply_now", notice: NOTICE },
    });
    expect(put.status).toBe(200);
    expect(put.body.effectiveFrom).toBe(new Date(changedAt).toISOString());
    await s.app.scheduler.runDue();

    const discount = await s.check("vip-m", "member_discount", MUSIC);
    expect(discount.allowed).toBe(false);
    expect(codes(discount)).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
    expect(discount.reasons[1]).toMatchObject({
      cause: "rule_change",
      details: {
        version: 2,
        changedAt: new Date(changedAt).toISOString(),
        field: "rules.scope.categories",
        before: ["books", "music"],
        after: ["books"],
      },
      remedy: { actor: "member", action: "none" },
    });
    expect(discount.reasons[1].message).toContain("catalog version 2");
    expect((await s.check("vip-m", "member_discount", { product: { category: "books" } })).allowed).toBe(
      true,
    );

    const zone = await s.check("vip-m", "vip_zone");
    expect(codes(zone)).toEqual(["BENEFIT_WITHDRAWN"]);
    expect(zone.reasons[0].details).toMatchObject({ version: 2, tier: "vip", tiers: ["svip"] });
    expect(zone.reasons[0].remedy.action).toBe("upgrade_tier");

    const [notice, ...others] = await noticesOf(s, "vip-m");
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      catalogVersion: 2,
      policy: "apply_now",
      appliesFrom: new Date(changedAt).toISOString(),
      message: NOTICE.en,
      readAt: null,
      changes: [
        {
          tier: "vip",
          withdrawn: ["vip_zone"],
          added: [],
          changed: [
            {
              benefit: "member_discount",
              fields: [{ field: "rules.scope.categories", before: ["books", "music"], after: ["books"] }],
            },
          ],
        },
      ],
    });
    expect(await outboxTypes(s, "vip-m")).toContain("notice.created");
    const timeline = await s.request("GET", "/v1/members/vip-m/timeline");
    expect(timeline.body.entries.map((e: { kind: string }) => e.kind)).toContain("notice.created");

    // The member of the tier the change left alone: no notice, no event, same entitlements version.
    expect(await noticesOf(s, "basic-m")).toEqual([]);
    expect(await outboxTypes(s, "basic-m")).not.toContain("notice.created");
    expect((await s.app.data.members.get("basic-m"))!.entitlementsVersion).toBe(before);

    // Marking read, and support's view of the same notice.
    const token = await s.memberToken("vip-m");
    const read = await s.request("POST", `/v1/me/notices/${notice.id}/read`, { auth: token });
    expect(read.status).toBe(204);
    const support = await s.request("GET", "/v1/members/vip-m/notices");
    expect(support.body.notices[0].readAt).toBe(new Date(s.clock.now()).toISOString());
    const other = await s.request("POST", `/v1/me/notices/${notice.id}/read`, {
      auth: await s.memberToken("basic-m"),
    });
    expect(other.status).toBe(404);

    // A retried activation notices nobody twice.
    await s.app.data.jobs.schedule([
      {
        kind: "catalog.activate",
        key: "retry",
        runAt: new Date(s.clock.now()),
        payload: { version: 2, cursor: "" },
      },
    ]);
    await s.app.scheduler.runDue();
    expect(await noticesOf(s, "vip-m")).toHaveLength(1);
  });

  it("grandfather: the old rules hold until the term that was running ends, then the same denial", async () => {
    const s = await setUp();
    const termEnd = Date.parse((await s.request("GET", "/v1/members/vip-m")).body.memberships[0].expiresAt);
    const put = await s.request("PUT", "/v1/catalog", { body: { ...v2(), policy: "grandfather" } });
    expect(put.status).toBe(200);
    await s.app.scheduler.runDue();

    expect((await s.check("vip-m", "member_discount", MUSIC)).allowed).toBe(true);
    expect((await s.check("vip-m", "vip_zone")).allowed).toBe(true);
    const grants = (await s.request("GET", "/v1/members/vip-m")).body.grants;
    const rulesOf = (benefit: string) => {
      const g = grants.find((x: { benefit: string }) => x.benefit === benefit);
      return { rulesVersion: g.rulesVersion, rulesUntil: g.rulesUntil };
    };
    expect(rulesOf("member_discount")).toEqual({
      rulesVersion: 1,
      rulesUntil: new Date(termEnd).toISOString(),
    });
    expect(rulesOf("ad_free")).toEqual({ rulesVersion: null, rulesUntil: null });
    const [notice] = await noticesOf(s, "vip-m");
    expect(notice).toMatchObject({
      catalogVersion: 2,
      policy: "grandfather",
      appliesFrom: new Date(termEnd).toISOString(),
    });
    expect(notice.message).toContain("Member price");
    expect(await outboxTypes(s, "vip-m")).toContain("notice.created");
    expect(await noticesOf(s, "basic-m")).toEqual([]);

    // Renewing extends the membership, not the old rules: they end with the term that was running.
    await buy(s, "vip-m", "vip_month");
    s.clock.set(termEnd - 1000);
    expect((await s.check("vip-m", "member_discount", MUSIC)).allowed).toBe(true);
    s.clock.set(termEnd + 1000);
    const discount = await s.check("vip-m", "member_discount", MUSIC);
    expect(codes(discount)).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
    expect(discount.reasons[1].details).toMatchObject({ version: 2, field: "rules.scope.categories" });
    expect(codes(await s.check("vip-m", "vip_zone"))).toEqual(["BENEFIT_WITHDRAWN"]);

    // Someone who buys after the change never had the old rules: no RULE_CHANGED for them.
    await s.createMember("late-m", { locale: "en" });
    await buy(s, "late-m", "vip_month");
    expect(codes(await s.check("late-m", "member_discount", MUSIC))).toEqual(["OUT_OF_SCOPE"]);
  });

  it("a future effectiveFrom changes nothing until the clock passes it and the job runs", async () => {
    const s = await setUp();
    const from = s.clock.now() + DAY;
    const put = await s.request("PUT", "/v1/catalog", {
      body: { ...v2(), effectiveFrom: new Date(from).toISOString(), notice: NOTICE },
    });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    await s.app.scheduler.runDue();
    expect((await s.request("GET", "/v1/catalog")).body.version).toBe(1);
    const versions = (await s.request("GET", "/v1/catalog/versions")).body.versions;
    expect(versions.map((v: { status: string }) => v.status)).toEqual(["in_force", "scheduled"]);
    expect(versions[1]).toMatchObject({ policy: "apply_now", effectiveFrom: new Date(from).toISOString() });
    expect((await s.check("vip-m", "member_discount", MUSIC)).allowed).toBe(true);
    expect(await noticesOf(s, "vip-m")).toEqual([]);

    s.clock.set(from);
    // The switch is immediate at the instant; notices follow when the job runs.
    expect((await s.request("GET", "/v1/catalog")).body.version).toBe(2);
    expect(codes(await s.check("vip-m", "member_discount", MUSIC))).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
    await s.app.scheduler.runDue();
    const [notice] = await noticesOf(s, "vip-m");
    expect(notice).toMatchObject({ catalogVersion: 2, appliesFrom: new Date(from).toISOString() });
    const statuses = (await s.request("GET", "/v1/catalog/versions")).body.versions.map(
      (v: { status: string }) => v.status,
    );
    expect(statuses).toEqual(["superseded", "in_force"]);
  });

  it("a benefit added to a tier is granted to its members, never reported as drift meanwhile", async () => {
    const s = await setUp();
    const doc = v1();
    doc.tiers.find((t) => t.code === "basic")!.benefits.push("cloud_storage");
    await s.request("PUT", "/v1/catalog", { body: doc });
    const pending = await s.check("basic-m", "cloud_storage");
    expect(codes(pending)).not.toContain("STATE_INCONSISTENT");
    await s.app.scheduler.runDue();
    expect((await s.check("basic-m", "cloud_storage")).allowed).toBe(true);
    expect((await noticesOf(s, "basic-m"))[0].changes).toEqual([
      { tier: "basic", withdrawn: [], added: ["cloud_storage"], changed: [] },
    ]);
    expect(await noticesOf(s, "vip-m")).toEqual([]);
  });

  it("a benefit removed from the catalog answers BENEFIT_WITHDRAWN to whoever had it", async () => {
    const s = await setUp();
    const doc = v1();
    for (const tier of doc.tiers) tier.benefits = tier.benefits.filter((b) => b !== "vip_zone");
    doc.benefits = doc.benefits.filter((b) => b.code !== "vip_zone");
    // vip-m holds it: removing it takes a confirmation.
    const refused = await s.request("PUT", "/v1/catalog", { body: doc });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ kind: "benefit", code: "vip_zone", members: 1, pendingOrders: 0 }),
    ]);
    expect((await s.request("PUT", "/v1/catalog", { body: { ...doc, confirm: "remove" } })).status).toBe(200);
    await s.app.scheduler.runDue();
    const zone = await s.check("vip-m", "vip_zone");
    expect(codes(zone)).toEqual(["BENEFIT_WITHDRAWN"]);
    expect(zone.reasons[0].details).toMatchObject({ version: 2, tier: "vip", tiers: [] });
    expect(codes(await s.check("basic-m", "vip_zone"))).toEqual(["BENEFIT_WITHDRAWN"]);
    const unknown = await s.request("POST", "/v1/check", {
      body: { memberId: "vip-m", benefit: "never_was" },
    });
    expect(unknown.body.error.code).toBe("BENEFIT_NOT_FOUND");
  });

  it("rejects a bad policy or date with every problem listed, and stores nothing", async () => {
    const s = await setUp();
    for (const [body, paths] of [
      [{ ...v2(), policy: "sometimes" }, ["/policy"]],
      [{ ...v2(), effectiveFrom: "tomorrow" }, ["/effectiveFrom"]],
      [{ ...v2(), effectiveFrom: "2026-02-30T00:00:00Z" }, ["/effectiveFrom"]],
      [{ ...v2(), policy: 7, effectiveFrom: "2026-13-01T00:00:00Z" }, ["/policy", "/effectiveFrom"]],
    ] as const) {
      const res = await s.request("PUT", "/v1/catalog", { body });
      expect(res.status, JSON.stringify(paths)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([...paths].sort());
    }
    expect((await s.request("GET", "/v1/catalog/versions")).body.versions).toHaveLength(1);
  });
});
