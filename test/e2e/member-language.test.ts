import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const HAN = /[\u4e00-\u9fff]/;

/**
 * DESIGN, "Decisions taken": when the person reading the answer sends the request — a member on
 * `/v1/me/*`, an operator in the console (admin and support keys) — an explicit Accept-Language wins
 * over the stored locale; for a service key (a platform's backend relaying to the member) the stored
 * locale wins. A zh-CN member read in an English member centre or console gets every server sentence
 * in English.
 */
describe.each(TEST_ENGINES)("the member's chosen language on $name", (engine) => {
  let s: TestServer;
  let token: string;
  let service: string;
  let support: string;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("zh-reader", { locale: "zh-CN", timezone: "Asia/Shanghai", displayName: "王芳" });
    await s.createOrder("zh-reader", "vip_month", "official_app");
    token = await s.memberToken("zh-reader");
    const key = async (role: string) =>
      (await s.request("POST", "/v1/api-keys", { body: { name: role, role } })).body.key as string;
    [service, support] = [await key("service"), await key("support")];
  });
  afterAll(() => s.stop());

  const reasonMessages = (body: { benefits: { reasons: { message: string }[] }[] }) =>
    body.benefits.flatMap((b) => b.reasons.map((r) => r.message));

  it("/v1/me/entitlements words its reasons in the Accept-Language the member's UI sends", async () => {
    const english = await s.request("GET", "/v1/me/entitlements", {
      auth: token,
      headers: { "accept-language": "en" },
    });
    expect(english.status).toBe(200);
    const messages = reasonMessages(english.body);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).not.toMatch(HAN);

    const stored = await s.request("GET", "/v1/me/entitlements", { auth: token });
    for (const message of reasonMessages(stored.body)) expect(message).toMatch(HAN);
  });

  it("the other /v1/me answers with server text follow it too: diagnosis, coupons, checkout", async () => {
    const headers = { "accept-language": "en-US,en;q=0.9" };
    const diagnosis = await s.request("POST", "/v1/me/diagnose", {
      auth: token,
      headers,
      body: { benefit: "ad_free" },
    });
    expect(diagnosis.status).toBe(200);
    expect(diagnosis.body.findings[0].code).toBe("PAYMENT_PENDING");
    expect(diagnosis.body.findings[0].message).not.toMatch(HAN);
    for (const step of diagnosis.body.steps) expect(step.detail, step.step).not.toMatch(HAN);

    const coupons = await s.request("GET", "/v1/me/coupons", { auth: token, headers });
    expect(coupons.status).toBe(200);
    const cart = {
      lines: [{ productId: "b1", category: "books", price: { amount: 5000, currency: "CNY" }, quantity: 1 }],
    };
    const evaluation = await s.request("POST", "/v1/me/checkout/evaluate", {
      auth: token,
      headers,
      body: { cart },
    });
    expect(evaluation.status).toBe(200);
    for (const line of evaluation.body.lines)
      for (const reason of line.discount.reasons) expect(reason.message).not.toMatch(HAN);
  });

  it("a platform's backend (a service key) asking in English still gets the member's stored language", async () => {
    const res = await s.request("GET", "/v1/members/zh-reader/entitlements", {
      auth: service,
      headers: { "accept-language": "en" },
    });
    expect(res.status).toBe(200);
    const messages = reasonMessages(res.body);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toMatch(HAN);
  });

  it("the console (admin and support keys) gets the Accept-Language it sends, over the stored locale", async () => {
    for (const [role, auth] of [
      ["admin", undefined],
      ["support", support],
    ] as const) {
      const english = { auth, headers: { "accept-language": "en" } };
      const entitlements = await s.request("GET", "/v1/members/zh-reader/entitlements", english);
      expect(entitlements.status, role).toBe(200);
      const messages = reasonMessages(entitlements.body);
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message, role).not.toMatch(HAN);

      const diagnosis = await s.request("POST", "/v1/members/zh-reader/diagnose", {
        ...english,
        body: { benefit: "ad_free" },
      });
      expect(diagnosis.status, role).toBe(200);
      expect(diagnosis.body.findings[0].code).toBe("PAYMENT_PENDING");
      expect(diagnosis.body.findings[0].message, role).not.toMatch(HAN);
      for (const step of diagnosis.body.steps) expect(step.detail, `${role} ${step.step}`).not.toMatch(HAN);

      // Without one the stored locale still words them: the header is a choice, not a default.
      const stored = await s.request("GET", "/v1/members/zh-reader/entitlements", { auth });
      for (const message of reasonMessages(stored.body)) expect(message, role).toMatch(HAN);
    }
  });

  it("POST /v1/check words its reasons in the body's locale, over the stored one (the console's language choice)", async () => {
    const check = (body: Record<string, unknown>, headers?: Record<string, string>, auth?: string) =>
      s.request("POST", "/v1/check", {
        body: { memberId: "zh-reader", benefit: "ad_free", ...body },
        headers,
        auth,
      });
    const messages = (res: { body: { reasons: { message: string }[] } }) =>
      res.body.reasons.map((r) => r.message);

    const english = await check({ locale: "en" });
    expect(english.status).toBe(200);
    expect(english.body.reasons[0].code).toBe("PAYMENT_PENDING");
    for (const message of messages(english)) expect(message).not.toMatch(HAN);
    // Without it the stored locale wins over a platform backend's Accept-Language.
    const stored = await check({}, { "accept-language": "en" }, service);
    expect(stored.body.reasons[0].code).toBe("PAYMENT_PENDING");
    for (const message of messages(stored)) expect(message).toMatch(HAN);
    // The body's locale wins over an operator's Accept-Language too.
    const chinese = await check({ locale: "zh-CN" }, { "accept-language": "en" });
    expect(messages(chinese)).toEqual(messages(stored));

    const unknown = await check({ locale: "fr" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("VALIDATION_FAILED");
    expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toContain("/locale");
    // The batch has no locale of its own: one there is refused, not ignored.
    const batch = await s.request("POST", "/v1/check/batch", {
      body: { checks: [{ memberId: "zh-reader", benefit: "ad_free", locale: "en" }] },
    });
    expect(batch.status).toBe(400);
  });

  it("/v1/me/profile gives the member's time zone, and only to that member", async () => {
    const res = await s.request("GET", "/v1/me/profile", { auth: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      memberId: "zh-reader",
      displayName: "王芳",
      locale: "zh-CN",
      timezone: "Asia/Shanghai",
    });
    const asAdmin = await s.request("GET", "/v1/me/profile");
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.error.code).toBe("FORBIDDEN");
    const anonymous = await s.request("GET", "/v1/me/profile", { auth: null });
    expect(anonymous.status).toBe(401);
  });
});
