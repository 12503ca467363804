import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { T0, TestServer } from "../e2e-harness.js";
import { type SeededDemoServer, startSeededDemoServer } from "../support/seeded-demo-server.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 24 * 3600 * 1000;
type Rule = { rule: string; text: string };
const texts = (rules: Rule[]) => rules.map((r) => r.text);

describe.each(TEST_ENGINES)("the plans page on $name", (engine) => {
  let s: TestServer;
  let serviceKey: string;
  let seq = 0;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    const key = await s.request("POST", "/v1/api-keys", { body: { name: "shop", role: "service" } });
    serviceKey = key.body.key;
  });
  afterAll(() => s.stop());

  async function newMember(body: Record<string, unknown> = { locale: "en", timezone: "UTC" }) {
    s.clock.set(T0);
    const memberId = `plans-${engine.name}-${++seq}`;
    await s.createMember(memberId, body);
    return { memberId, token: await s.memberToken(memberId) };
  }
  async function buy(memberId: string, plan: string) {
    const order = await s.createOrder(memberId, plan);
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    return order.orderId;
  }

  it("GET /v1/plans: every tier, plan and benefit with its rules in words, Chinese by default", async () => {
    const res = await s.request("GET", "/v1/plans", { auth: serviceKey });
    expect(res.status).toBe(200);
    expect(res.body.locale).toBe("zh-CN");
    expect(res.body.timezone).toBe("Asia/Shanghai");
    expect(res.body.catalog).toEqual({ version: 1, effectiveFrom: new Date(T0).toISOString() });
    expect(res.body.tiers.map((t: { code: string }) => t.code)).toEqual(["vip", "svip"]);
    const vipMonth = res.body.tiers[0].plans[0];
    expect(vipMonth).toMatchObject({
      code: "vip_month",
      period: "P1M",
      price: { amount: 1500, currency: "CNY" },
    });
    expect(texts(vipMonth.rules)).toEqual(["¥15.00/月", "到期后7天宽限期内权益照常可用，请在宽限期内续费"]);
    const discount = res.body.benefits.find((b: { code: string }) => b.code === "member_discount");
    expect(discount.summary).toBe(
      "会员价：95折，仅适用于「books」类商品，特价商品除外，购买次日00:00（北京时间）起生效，自动生效，无需领取",
    );
    expect(discount.tiers).toEqual(["vip", "svip"]);
    const coupon = res.body.coupons.find((c: { code: string }) => c.code === "any_9_off");
    expect(texts(coupon.rules)).toContain("不可与其他优惠券同时使用");
    expect(res.body.changes).toEqual([]);
  });

  it("GET /v1/plans in English with Accept-Language; no credential is refused unless public", async () => {
    const en = await s.request("GET", "/v1/plans", {
      auth: serviceKey,
      headers: { "accept-language": "en" },
    });
    const boost = en.body.benefits.find((b: { code: string }) => b.code === "hd_download_boost");
    expect(texts(boost.rules)).toContain("Must be switched on once in the app (it starts off)");
    const quota = en.body.benefits.find((b: { code: string }) => b.code === "hd_downloads");
    expect(texts(quota.rules)[0]).toBe("10 downloads a day, resets at 00:00 every day (Beijing time)");
    expect((await s.request("GET", "/v1/plans", { auth: null })).status).toBe(401);
  });

  it("GET /v1/me/plans for a non-member: every plan is a new membership and adds the whole tier", async () => {
    const { token } = await newMember();
    const res = await s.request("GET", "/v1/me/plans", { auth: token });
    expect(res.status).toBe(200);
    expect(res.body.locale).toBe("en");
    expect(res.body.timezone).toBe("UTC");
    expect(res.body.member.tier).toBeNull();
    const svipYear = res.body.offers.find((o: { plan: string }) => o.plan === "svip_year");
    expect(svipYear).toMatchObject({ effect: "new", credit: null, creditMs: null, loses: [] });
    expect(svipYear.adds).toContain("svip_concierge");
    const discount = res.body.benefits.find((b: { code: string }) => b.code === "member_discount");
    // The member's own time zone, not China's.
    expect(texts(discount.rules)).toContain("Takes effect at 00:00 the day after you buy (UTC time)");
  });

  it("an upgrade's quoted credit is exactly what the payment then grants", async () => {
    const { memberId, token } = await newMember();
    await buy(memberId, "vip_month");
    s.clock.set(T0 + 10 * DAY + 3 * 3600 * 1000);
    const plans = (await s.request("GET", "/v1/me/plans", { auth: token })).body;
    expect(plans.member.tier).toBe("vip");
    const offer = plans.offers.find((o: { plan: string }) => o.plan === "svip_month");
    expect(offer.effect).toBe("upgrade");
    expect(offer.adds).toEqual(["cloud_storage_plus", "svip_concierge"]);
    expect(offer.loses).toEqual(["cloud_storage"]);
    expect(offer.credit.amount).toBeGreaterThan(0);
    const renew = plans.offers.find((o: { plan: string }) => o.plan === "vip_year");
    expect(renew).toMatchObject({ effect: "extend", credit: null });
    expect(renew.startsAt).toBe(plans.member.memberships[0].expiresAt);

    const orderId = await buy(memberId, "svip_month");
    const detail = (await s.request("GET", `/v1/members/${memberId}`)).body;
    const order = detail.orders.find((o: { orderId: string }) => o.orderId === orderId);
    expect(order.upgrade).toMatchObject({
      creditAmount: offer.credit.amount,
      currency: offer.credit.currency,
      creditMs: offer.creditMs,
    });
    // Now svip: a vip plan would wait for the end of the svip term.
    const after = (await s.request("GET", "/v1/me/plans", { auth: token })).body;
    expect(after.member.tier).toBe("svip");
    expect(after.offers.find((o: { plan: string }) => o.plan === "vip_month").effect).toBe(
      "downgrade_scheduled",
    );
  });

  it("the member's language: Accept-Language wins over the stored locale, the stored one otherwise", async () => {
    const { token } = await newMember({ locale: "zh-CN" });
    expect((await s.request("GET", "/v1/me/plans", { auth: token })).body.locale).toBe("zh-CN");
    const en = await s.request("GET", "/v1/me/plans", { auth: token, headers: { "accept-language": "en" } });
    expect(en.body.locale).toBe("en");
    expect(en.body.benefits[0].summary).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("a rule change lists its before/after sentences; a member sees only the changes to their tier", async () => {
    const vipMember = await newMember();
    await buy(vipMember.memberId, "vip_month");
    s.clock.set(T0 + DAY);
    const document = structuredClone(DEMO_CATALOG);
    const plus = document.benefits.find((b) => b.code === "cloud_storage_plus");
    if (plus?.quota) plus.quota.limit = 10240;
    await s.putCatalog(document);
    const all = (
      await s.request("GET", "/v1/plans", { auth: serviceKey, headers: { "accept-language": "en" } })
    ).body;
    expect(all.catalog.version).toBe(2);
    expect(all.changes).toHaveLength(1);
    expect(all.changes[0]).toMatchObject({
      version: 2,
      effectiveFrom: new Date(T0 + DAY).toISOString(),
      benefits: [
        {
          code: "cloud_storage_plus",
          change: "changed",
          before: ["8192 GB in all, never reset"],
          after: ["10240 GB in all, never reset"],
        },
      ],
      tiers: [],
    });
    const mine = (await s.request("GET", "/v1/me/plans", { auth: vipMember.token })).body;
    expect(mine.changes).toEqual([]);
    // The publish preview shows the sentences the next change would produce, in both languages.
    const next = structuredClone(document);
    const discount = next.benefits.find((b) => b.code === "member_discount");
    if (discount?.discount) discount.discount.percentOff = 10;
    const preview = await s.request("PUT", "/v1/catalog?dryRun=true", { body: next });
    expect(preview.status).toBe(200);
    expect(preview.body.explained.en.benefits).toEqual([
      {
        code: "member_discount",
        name: "Member price",
        change: "changed",
        before: ["5% off"],
        after: ["10% off"],
      },
    ]);
    expect(preview.body.explained["zh-CN"].benefits[0]).toMatchObject({ before: ["95折"], after: ["9折"] });
    const newcomer = await newMember();
    s.clock.set(T0 + DAY);
    expect((await s.request("GET", "/v1/me/plans", { auth: newcomer.token })).body.changes).toHaveLength(1);
  });

  it("a published change reaches the member's notice in the same sentences, summary included", async () => {
    const { memberId, token } = await newMember();
    await buy(memberId, "vip_month");
    s.clock.set(T0 + 2 * DAY);
    const document = structuredClone((await s.request("GET", "/v1/catalog")).body);
    delete document.version;
    delete document.createdAt;
    const discount = document.benefits.find((b: { code: string }) => b.code === "member_discount");
    discount.discount.percentOff = 10;
    await s.putCatalog(document);
    await s.app.scheduler.runDue();
    const [notice] = (await s.request("GET", "/v1/me/notices", { auth: token })).body.notices;
    expect(notice.explained.benefits).toEqual([
      {
        code: "member_discount",
        name: "Member price",
        change: "changed",
        before: ["5% off"],
        after: ["10% off"],
      },
    ]);
    expect(notice.message).toContain('Member price: "5% off" becomes "10% off"');
    const zh = (
      await s.request("GET", "/v1/me/notices", { auth: token, headers: { "accept-language": "zh-CN" } })
    ).body.notices[0];
    expect(zh.message).toContain("会员价由「95折」变为「9折」");
    const plans = (await s.request("GET", "/v1/me/plans", { auth: token })).body;
    expect(plans.changes[0].benefits).toEqual(notice.explained.benefits);
  });
});

describe.each(TEST_ENGINES)("the plans page, public mode, on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine, T0, { publicPlans: true });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("answers the shop page without a credential", async () => {
    const res = await s.request("GET", "/v1/plans", { auth: null, headers: { "accept-language": "en" } });
    expect(res.status).toBe(200);
    expect(res.body.tiers[1].name).toBe("SVIP");
  });
});

describe.each(TEST_ENGINES)("the demo's plans on $name", (engine) => {
  let demo: SeededDemoServer;
  const NOW = Date.parse("2026-11-24T02:00:00Z");
  beforeAll(async () => {
    demo = await startSeededDemoServer(engine, NOW);
  });
  afterAll(() => demo.stop());
  async function plansOf(memberId: string, locale: string) {
    const tokenRes = await fetch(`${demo.baseUrl}/v1/members/${memberId}/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.adminKey}`, "content-type": "application/json" },
      body: "{}",
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const res = await fetch(`${demo.baseUrl}/v1/me/plans`, {
      headers: { authorization: `Bearer ${token}`, "accept-language": locale },
    });
    expect(res.status).toBe(200);
    return { ...((await res.json()) as any), token };
  }

  it("demo-vip: holds vip, svip is an upgrade with credit, and the VIP zone's change reads before → after", async () => {
    for (const locale of ["en", "zh-CN"]) {
      const plans = await plansOf("demo-vip", locale);
      expect(plans.member.tier).toBe("vip");
      const upgrade = plans.offers.find((o: { plan: string }) => o.plan === "svip_year");
      expect(upgrade.effect).toBe("upgrade");
      expect(upgrade.credit.amount).toBeGreaterThan(0);
      const [change] = plans.changes;
      const zone = change.benefits.find((b: { code: string }) => b.code === "vip_zone");
      expect(zone).toMatchObject(
        locale === "en"
          ? { before: ["Needs app version 5.2.0 or later"], after: ["Needs app version 5.3.0 or later"] }
          : { before: ["需要App 5.2.0或更高版本"], after: ["需要App 5.3.0或更高版本"] },
      );
      // The member's notice of that change reads the very same sentences.
      const notices = await fetch(`${demo.baseUrl}/v1/me/notices`, {
        headers: { authorization: `Bearer ${plans.token}`, "accept-language": locale },
      }).then((r) => r.json() as Promise<any>);
      expect(notices.notices[0].explained.benefits).toEqual([zone]);
    }
  });

  it("demo-new: no tier, every plan new, every benefit described in both languages", async () => {
    for (const locale of ["en", "zh-CN"]) {
      const plans = await plansOf("demo-new", locale);
      expect(plans.member).toMatchObject({ tier: null, memberships: [] });
      expect(plans.offers.every((o: { effect: string }) => o.effect === "new")).toBe(true);
      for (const b of plans.benefits) {
        expect(b.rules.length).toBeGreaterThan(0);
        expect(/[\u4e00-\u9fff]/.test(b.summary)).toBe(locale === "zh-CN");
      }
    }
  });
});
