import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectErrorShape } from "./support/error-responses.js";

/** The server pieces the web UI needs: member search, the names a member may read, the pages. */
describe.each(TEST_ENGINES)("web UI server routes on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("alice-1", { displayName: "Alice Liddell" });
    await s.createMember("alice-2", { displayName: "Alice Two" });
    await s.createMember("bob", { displayName: "Bob 100% real_name" });
    await s.createMember("zhang", { displayName: "张伟" });
  });
  afterAll(() => s.stop());

  const search = async (query: string) => {
    const res = await s.request("GET", `/v1/members?${query}`);
    expect(res.status).toBe(200);
    return (res.body.members as { memberId: string }[]).map((m) => m.memberId);
  };

  it("finds members by id prefix or by part of the name, case-insensitively, in id order", async () => {
    expect(await search("q=alice")).toEqual(["alice-1", "alice-2"]);
    expect(await search("q=LIDDELL")).toEqual(["alice-1"]);
    expect(await search(`q=${encodeURIComponent("伟")}`)).toEqual(["zhang"]);
    expect(await search("q=nobody")).toEqual([]);
    expect(await search("limit=2")).toEqual(["alice-1", "alice-2"]);
    expect(await search("q=")).toEqual(["alice-1", "alice-2", "bob", "zhang"]);
  });

  it("treats % and _ in the query as themselves", async () => {
    expect(await search(`q=${encodeURIComponent("%")}`)).toEqual(["bob"]);
    // Unescaped, "alice_" would match alice-1 and alice-2.
    expect(await search(`q=${encodeURIComponent("alice_")}`)).toEqual([]);
    expect(await search(`q=${encodeURIComponent("real_n")}`)).toEqual(["bob"]);
  });

  it("refuses a bad limit or an unknown parameter with the documented error", async () => {
    for (const [query, path] of [
      ["limit=0", "/limit"],
      ["limit=101", "/limit"],
      ["limit=ten", "/limit"],
      [`q=${"x".repeat(201)}`, "/q"],
    ]) {
      const res = await s.request("GET", `/v1/members?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const unknown = await s.request("GET", "/v1/members?colour=red");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("gives a member the names of tiers and benefits in the asked language", async () => {
    const token = await s.memberToken("alice-1");
    const zh = await s.request("GET", "/v1/me/catalog", {
      auth: token,
      headers: { "accept-language": "zh-CN" },
    });
    expect(zh.status).toBe(200);
    expect(zh.body.tiers.find((t: { code: string }) => t.code === "vip")).toEqual({
      code: "vip",
      name: "VIP会员",
      rank: 1,
    });
    const en = await s.request("GET", "/v1/me/catalog", {
      auth: token,
      headers: { "accept-language": "en" },
    });
    expect(en.body.benefits.find((b: { code: string }) => b.code === "ad_free")).toMatchObject({
      name: "No ads",
    });
    // Names only: no plans, prices or rules.
    expect(Object.keys(en.body.tiers[0]).sort()).toEqual(["code", "name", "rank"]);
    expect(Object.keys(en.body.benefits[0]).sort()).toEqual(["code", "description", "kind", "name"]);
    const service = await s.request("GET", "/v1/me/catalog");
    expect(service.status).toBe(403);
  });

  it("serves the UI at / and /admin without shadowing the API", async () => {
    for (const path of ["/", "/admin", "/admin/anything"]) {
      const res = await fetch(`${s.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain('<div id="root">');
    }
    const api404 = await s.request("GET", "/v1/no-such-route");
    expectErrorShape(api404, 404, "NOT_FOUND");
    expect((await s.request("GET", "/healthz", { auth: null })).body).toEqual({ status: "ok" });
    expect((await s.request("GET", "/openapi.json", { auth: null })).body.openapi).toBe("3.1.0");
    expect((await fetch(`${s.baseUrl}/assets/no-such-file.js`)).status).toBe(404);
  });
});
