import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { createClient, createLocalEvaluator, type LocalEvaluator } from "../../src/sdk/index.js";
import { ADMIN_KEY, T0, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 86_400_000;

/** The catalog history the local evaluator compiles: scheduled versions and grandfathered rules. */
describe.each(TEST_ENGINES)("SDK local evaluator and catalog versions on $name", (engine) => {
  let s: TestServer;
  let evaluator: LocalEvaluator;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("cat-1", { locale: "en" });
    const order = await s.createOrder("cat-1", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    // Version 2, grandfathered: the VIP zone needs app 6.0.0; version 3, from tomorrow: VIP loses ad_free.
    const vipZoneNeeds6 = structuredClone(DEMO_CATALOG);
    const zone = vipZoneNeeds6.benefits.find((b) => b.code === "vip_zone")!;
    zone.rules = { ...zone.rules, minClientVersion: "6.0.0" };
    const put = await s.request("PUT", "/v1/catalog", { body: { ...vipZoneNeeds6, policy: "grandfather" } });
    expect(put.status).toBe(200);
    const withoutAdFree = structuredClone(vipZoneNeeds6);
    withoutAdFree.tiers = withoutAdFree.tiers.map((t) =>
      t.code === "vip" ? { ...t, benefits: t.benefits.filter((b) => b !== "ad_free") } : t,
    );
    const scheduled = await s.request("PUT", "/v1/catalog", {
      body: { ...withoutAdFree, effectiveFrom: new Date(T0 + DAY).toISOString() },
    });
    expect(scheduled.status).toBe(200);
    evaluator = createLocalEvaluator({
      url: s.baseUrl,
      apiKey: ADMIN_KEY,
      members: ["cat-1"],
      follow: false,
      staleAfterMs: 10 * 60_000,
      locale: "en",
      now: () => s.clock.now(),
    });
    await evaluator.ready();
  });
  afterAll(async () => {
    await evaluator.close();
    await s.stop();
  });

  it("GET /v1/catalog/history lists every version with its document, diff and when it comes into force", async () => {
    const history = await createClient({ url: s.baseUrl, apiKey: ADMIN_KEY }).catalogHistory();
    expect(history.versions.map((v) => [v.version, v.effectiveFrom, v.inForceFrom])).toEqual([
      [1, null, new Date(T0).toISOString()],
      [2, null, new Date(T0).toISOString()],
      [3, new Date(T0 + DAY).toISOString(), new Date(T0 + DAY).toISOString()],
    ]);
    expect(history.versions[2].diff.tiers).toEqual([
      expect.objectContaining({ code: "vip", change: "changed" }),
    ]);
  });

  it("decides as the server before and after a scheduled version takes over, and with grandfathered rules", async () => {
    const contexts = [undefined, { client: { platform: "ios", version: "5.3.0" } }];
    const adFree: string[] = [];
    const zoneOnNewApp: string[] = [];
    for (const offset of [0, DAY + 1000, 40 * DAY]) {
      s.clock.advance(offset);
      try {
        for (const benefit of ["ad_free", "vip_zone", "member_discount"]) {
          for (const context of contexts) {
            const { freshness: _f, source, ...local } = await evaluator.decide("cat-1", benefit, context);
            expect(source).toBe("local");
            if (benefit === "ad_free" && context === undefined) adFree.push(local.reasons[0].code);
            if (benefit === "vip_zone" && context !== undefined) zoneOnNewApp.push(local.reasons[0].code);
            expect(local, `${benefit} +${offset} ms`).toEqual(
              await s.check("cat-1", benefit, context, { "accept-language": "en" }),
            );
          }
        }
      } finally {
        s.clock.advance(-offset);
      }
    }
    // The switch to version 3 happened in memory: this evaluator follows no stream and fetched the
    // catalog once. (Neither side goes back to an older version when the clock is set back.)
    expect(adFree.slice(0, 2)).toEqual(["GRANTED", "BENEFIT_WITHDRAWN"]);
    expect(zoneOnNewApp[0]).toBe("GRANTED");
  });
});
