import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

describe.each(TEST_ENGINES)("catalog over HTTP on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
  });
  afterAll(() => s.stop());

  it("answers CATALOG_NOT_FOUND before the first PUT", async () => {
    const res = await s.request("GET", "/v1/catalog");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("CATALOG_NOT_FOUND");
    expect(
      (await s.request("POST", "/v1/check", { body: { memberId: "m", benefit: "ad_free" } })).status,
    ).toBe(404);
  });

  it("accepts JSON, versions it, and lists every problem of a bad document at once", async () => {
    const first = await s.request("PUT", "/v1/catalog", { body: DEMO_CATALOG });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(1);
    expect(first.body.diff.benefits.every((b: { change: string }) => b.change === "added")).toBe(true);

    const bad = {
      tiers: [
        {
          code: "vip",
          name: "VIP",
          rank: 1,
          benefits: ["ad_free", "ghost"],
          plans: [{ code: "m", period: "monthly", price: { amount: 1, currency: "CNY" } }],
        },
        { code: "vip", name: "VIP again", rank: 1, benefits: [], plans: [] },
      ],
      benefits: [
        { code: "ad_free", kind: "feature", name: "No ads", rules: { minClientVersion: "five" } },
        { code: "ad_free", kind: "quota", name: "dup" },
      ],
      surprise: true,
    };
    const res = await s.request("PUT", "/v1/catalog", { body: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/surprise",
        "/tiers/0/benefits/1",
        "/tiers/0/plans/0/period",
        "/benefits/0/rules/minClientVersion",
      ]),
    );
    const codes = res.body.error.details.map((d: { code: string }) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "unknown_field",
        "unknown_benefit",
        "invalid_duration",
        "invalid_semver",
        "duplicate_code",
      ]),
    );
    expect((await s.request("GET", "/v1/catalog/versions")).body.versions).toHaveLength(1);
  });

  it("accepts YAML bodies and diffs versions field by field", async () => {
    const changed = structuredClone(DEMO_CATALOG);
    changed.tiers[0].plans[0].price.amount = 1800;
    changed.tiers[0].benefits = changed.tiers[0].benefits.filter((b) => b !== "vip_zone");
    const res = await s.request("PUT", "/v1/catalog", {
      raw: YAML.stringify({ ...changed, notice: { en: "VIP price change", "zh-CN": "VIP价格调整" } }),
      headers: { "content-type": "application/yaml" },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    const diff = (await s.request("GET", "/v1/catalog/versions/2/diff")).body;
    expect(diff.previous).toBe(1);
    const vip = diff.diff.tiers.find((t: { code: string }) => t.code === "vip");
    expect(vip.change).toBe("changed");
    expect(vip.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "plans.vip_month.price.amount", before: 1500, after: 1800 }),
        expect.objectContaining({ path: "benefits", removed: ["vip_zone"] }),
      ]),
    );
    const versions = (await s.request("GET", "/v1/catalog/versions")).body.versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions[1].notice).toEqual({ en: "VIP price change", "zh-CN": "VIP价格调整" });
    const current = (await s.request("GET", "/v1/catalog")).body;
    expect(current.version).toBe(2);
    expect(current.tiers[0].plans[0].price.amount).toBe(1800);
    expect((await s.request("GET", "/v1/catalog/versions/1")).body.tiers[0].plans[0].price.amount).toBe(1500);
    expect((await s.request("GET", "/v1/catalog/versions/9/diff")).body.error.code).toBe(
      "CATALOG_VERSION_NOT_FOUND",
    );
  });

  it("rejects broken YAML with MALFORMED_BODY", async () => {
    const res = await s.request("PUT", "/v1/catalog", {
      raw: "tiers: [unclosed\n  - : :",
      headers: { "content-type": "application/yaml" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("MALFORMED_BODY");
  });

  it("new orders are priced from the current catalog, and concurrent PUTs get distinct versions", async () => {
    await s.createMember("cat-m1");
    const order = await s.createOrder("cat-m1", "vip_month");
    expect(order.amount).toEqual({ amount: 1800, currency: "CNY" });
    const results = await Promise.all([
      s.putCatalog(DEMO_CATALOG),
      s.putCatalog(DEMO_CATALOG),
      s.putCatalog(DEMO_CATALOG),
    ]);
    expect(results.map((r) => r.version).sort()).toEqual([3, 4, 5]);
  });
});
