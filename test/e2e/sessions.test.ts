import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** The member's app reports itself; decisions and entitlements without a client context use that report. */
describe.each(TEST_ENGINES)("client sessions on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  async function payingMember() {
    const memberId = `sess-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    return { memberId, token: await s.memberToken(memberId) };
  }
  const report = (token: string, body: unknown) =>
    s.request("POST", "/v1/me/sessions", { auth: token, body });
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;

  it("a current client: recorded, not stale, and the entitlements version does not move", async () => {
    const { memberId, token } = await payingMember();
    const current = await version(memberId);
    const res = await report(token, { platform: "ios", version: "6.2.0", entitlementsVersion: current });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      platform: "ios",
      version: "6.2.0",
      entitlementsVersion: current,
      serverEntitlementsVersion: current,
      stale: false,
      reportedAt: "2026-11-24T02:00:00.000Z",
    });
    expect(await version(memberId)).toBe(current);
    expect((await s.check(memberId, "vip_zone")).reasons.map((r: { code: string }) => r.code)).toEqual([
      "GRANTED",
    ]);
  });

  it("a stale cache: allowed decisions carry CLIENT_CACHE_STALE with refresh_client, without a client in the context", async () => {
    const { memberId, token } = await payingMember();
    const current = await version(memberId);
    const res = await report(token, {
      platform: "android",
      version: "6.2.0",
      entitlementsVersion: current - 1,
    });
    expect(res.body.stale).toBe(true);
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(true);
    expect(decision.reasons[1]).toMatchObject({
      code: "CLIENT_CACHE_STALE",
      details: { clientVersion: current - 1, serverVersion: current },
      remedy: { action: "refresh_client" },
    });
    // A context that names its client wins over the stored session.
    const explicit = await s.check(memberId, "ad_free", { client: { entitlementsVersion: current } });
    expect(explicit.reasons.map((r: { code: string }) => r.code)).toEqual(["GRANTED"]);
    // Refreshing and reporting again clears it.
    await report(token, { platform: "android", version: "6.2.0", entitlementsVersion: current });
    expect((await s.check(memberId, "ad_free")).reasons).toHaveLength(1);
  });

  it("an outdated app: CLIENT_OUTDATED with update_client, from the latest session only", async () => {
    const { memberId, token } = await payingMember();
    const current = await version(memberId);
    await report(token, { platform: "ios", version: "5.0.0", entitlementsVersion: current });
    const decision = await s.check(memberId, "vip_zone");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({
      code: "CLIENT_OUTDATED",
      details: { platform: "ios", version: "5.0.0" },
      remedy: { action: "update_client" },
    });
    const snapshot = await s.request("GET", "/v1/me/entitlements", { auth: token });
    expect(snapshot.body.benefits.find((b: { benefit: string }) => b.benefit === "ad_free").state).toBe(
      "active",
    );
    await report(token, { platform: "ios", version: "6.2.0", entitlementsVersion: current });
    expect((await s.check(memberId, "vip_zone")).allowed).toBe(true);
  });

  it("refuses a bad report and a token of nobody's", async () => {
    const { token } = await payingMember();
    const bad = await report(token, { platform: "ios", version: "6.2.0", entitlementsVersion: -1, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(
      (await report("not-a-token", { platform: "ios", version: "1.0.0", entitlementsVersion: 1 })).status,
    ).toBe(401);
  });
});
