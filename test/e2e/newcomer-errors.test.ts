/**
 * Issue 12 item 6, over real HTTP: errors a newcomer understands without reading the source — what
 * to send instead of a bare 415, the allowed values of a choice, ids explained in words, the limit of
 * a 413, and `error.message` in the language reasons use (Accept-Language; on /v1/me/* the member's
 * stored locale when the request names none; else zh-CN).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectSafe } from "./support/error-responses.js";

describe.each(TEST_ENGINES)("errors a newcomer understands ($name)", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("en-reader", { locale: "en" });
    await s.createMember("zh-reader", { locale: "zh-CN" });
  });
  afterAll(() => s.stop());

  const en = { "accept-language": "en" };

  it("a body without Content-Type: 415 that says what to send", async () => {
    const res = await fetch(`${s.baseUrl}/v1/members/newbie`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...en },
      body: Buffer.from(JSON.stringify({ displayName: "New" })),
    });
    const body = (await res.json()) as { error: unknown };
    expect(res.status).toBe(415);
    expect(body.error).toEqual({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message:
        "The request has a body but no Content-Type: send JSON with Content-Type: application/json (or YAML with application/yaml).",
      details: [
        {
          path: "/content-type",
          in: "headers",
          message: "missing: the body needs a Content-Type",
          received: null,
          accepted: ["application/json", "application/yaml", "application/x-yaml", "text/yaml"],
        },
      ],
    });
    // Another content type is named back, in the default language when none is asked for.
    const xml = await s.request("PUT", "/v1/members/newbie", {
      raw: "<m/>",
      headers: { "content-type": "application/xml" },
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error.message).toBe(
      "不接受 Content-Type application/xml：请用 Content-Type: application/json 发送 JSON（或用 application/yaml 发送 YAML）。",
    );
    expect(xml.body.error.details[0]).toMatchObject({ received: "application/xml" });
  });

  it("a choice among fixed values is one detail naming the allowed values", async () => {
    const res = await s.request("PUT", "/v1/members/newbie", { body: { locale: "fr" }, headers: en });
    expectSafe(res);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: "VALIDATION_FAILED",
      message: "The request has 1 problem(s); see details.",
      details: [
        {
          path: "/locale",
          message: "locale must be one of: en, zh-CN (or null)",
          allowed: ["en", "zh-CN", null],
          in: "body",
        },
      ],
    });
    const role = await s.request("POST", "/v1/api-keys", { body: { name: "k", role: "root" } });
    expect(role.body.error.details).toEqual([
      {
        path: "/role",
        message: "role must be one of: admin, service, support",
        allowed: ["admin", "service", "support"],
        in: "body",
      },
    ]);
  });

  it("an invalid member id is explained in words, not as a regex", async () => {
    const res = await s.request("PUT", `/v1/members/${encodeURIComponent("has space")}`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: "/memberId",
        message:
          "must be 1 to 128 characters: letters, digits and . _ : @ - (starting with a letter or digit; no spaces or slashes)",
        in: "params",
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain("^[A-Za-z0-9]");
  });

  it("413 states the limit in bytes and in words, in the message and in details", async () => {
    const big = JSON.stringify({ displayName: "x".repeat(1024 * 1024) });
    const res = await s.request("PUT", "/v1/members/newbie", { raw: big, headers: en });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: "PAYLOAD_TOO_LARGE",
      message: "The request body is larger than the limit of 1048576 bytes (1 MiB).",
      details: [
        {
          path: "",
          in: "body",
          message: "the body must be at most 1048576 bytes (1 MiB)",
          limit: { bytes: 1048576, human: "1 MiB" },
        },
      ],
    });
    const zh = await s.request("PUT", "/v1/members/newbie", { raw: big });
    expect(zh.body.error.message).toBe("请求体超过了 1048576 字节（1 MiB）的上限。");
  });

  describe("error.message follows the language rule of reasons", () => {
    it("service routes: Accept-Language, else zh-CN", async () => {
      const unknown = (headers: Record<string, string> = {}) =>
        s.request("POST", "/v1/orders", { body: { memberId: "nobody", plan: "vip_month" }, headers });
      const zh = await unknown();
      expect(zh.status).toBe(404);
      expect(zh.body.error).toMatchObject({ code: "MEMBER_NOT_FOUND", message: "会员 nobody 不存在。" });
      const english = await unknown({ "accept-language": "en-GB,en;q=0.9" });
      expect(english.body.error).toMatchObject({
        code: "MEMBER_NOT_FOUND",
        message: "Member nobody does not exist.",
      });
      // A member's stored locale does not decide a service route's error: the request is not the member's.
      const forEnReader = await s.request("POST", "/v1/check", {
        body: { memberId: "en-reader", benefit: "no_such" },
      });
      expect(forEnReader.body.error).toMatchObject({
        code: "BENEFIT_NOT_FOUND",
        message: "目录中没有权益 no_such。",
      });
    });

    it("/v1/me/*: an explicit Accept-Language wins, else the member's stored locale", async () => {
      const claimUnknown = async (memberId: string, headers: Record<string, string> = {}) =>
        s.request("POST", "/v1/me/benefits/no_such/claim", { auth: await s.memberToken(memberId), headers });
      expect((await claimUnknown("en-reader")).body.error).toMatchObject({
        code: "BENEFIT_NOT_FOUND",
        message: "Benefit no_such is not in the catalog.",
      });
      expect((await claimUnknown("zh-reader")).body.error.message).toBe("目录中没有权益 no_such。");
      expect((await claimUnknown("en-reader", { "accept-language": "zh-CN" })).body.error.message).toBe(
        "目录中没有权益 no_such。",
      );
      expect((await claimUnknown("zh-reader", en)).body.error.message).toBe(
        "Benefit no_such is not in the catalog.",
      );
    });

    it("unknown routes and refused roles too", async () => {
      const route = await s.request("GET", "/v1/nothing-here", { headers: en });
      expect(route.body.error).toMatchObject({
        code: "NOT_FOUND",
        message: "No route GET /v1/nothing-here.",
      });
      const forbidden = await s.request("GET", "/v1/catalog", { auth: await s.memberToken("zh-reader") });
      expect(forbidden.body.error).toMatchObject({
        code: "FORBIDDEN",
        message: "会员令牌仅可用于 /v1/me/* 接口。",
      });
    });
  });
});
