import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { createClient, type PerkwiseClient, PerkwiseError } from "../../src/sdk/index.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** The SDK's remote client against a real server: typed answers, and every failure a PerkwiseError. */
describe.each(TEST_ENGINES)("SDK client on $name", (engine) => {
  let s: TestServer;
  let client: PerkwiseClient;
  let orderId: string;

  /** The PerkwiseError a call rejects with (fails the test when it resolves). */
  const failure = async (call: Promise<unknown>): Promise<PerkwiseError> => {
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PerkwiseError);
    return error as PerkwiseError;
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("sdk-paid", { locale: "en" });
    const order = await s.createOrder("sdk-paid", "vip_month");
    orderId = order.orderId;
    await s.pay(order.orderId, order.amount.amount);
    await s.createMember("sdk-free", { locale: "en" });
    const key = await s.request("POST", "/v1/api-keys", { body: { name: "sdk", role: "service" } });
    client = createClient({ url: s.baseUrl, apiKey: key.body.key, locale: "en" });
  });
  afterAll(() => s.stop());

  it("check, checkBatch, entitlements and diagnose answer what the HTTP API answers", async () => {
    const decision = await client.check("sdk-paid", "ad_free");
    expect(decision).toEqual(await s.check("sdk-paid", "ad_free"));
    expect(decision).toMatchObject({ allowed: true, reasons: [{ code: "GRANTED" }], entitlementsVersion: 3 });

    const batch = await client.checkBatch([
      {
        memberId: "sdk-paid",
        benefit: "vip_zone",
        context: { client: { platform: "ios", version: "5.0.0" } },
      },
      { memberId: "sdk-free", benefit: "ad_free" },
    ]);
    expect(batch.map((d) => [d.memberId, d.allowed, d.reasons[0].code])).toEqual([
      ["sdk-paid", false, "CLIENT_OUTDATED"],
      ["sdk-free", false, "NO_MEMBERSHIP"],
    ]);

    const entitlements = await client.entitlements("sdk-paid");
    expect(entitlements.entitlementsVersion).toBe(3);
    expect(entitlements.benefits.find((b) => b.benefit === "hd_downloads")).toMatchObject({
      kind: "quota",
      state: "active",
      quota: { limit: 10, used: 0, remaining: 10 },
    });

    const diagnosis = await client.diagnose("sdk-paid", "vip_zone", {
      context: { client: { platform: "ios", version: "5.0.0" } },
      orderId,
    });
    expect(diagnosis).toMatchObject({ memberId: "sdk-paid", verdict: "not_working" });
    expect(diagnosis.findings.map((f) => f.code)).toContain("CLIENT_OUTDATED");
  });

  it("snapshot and catalogHistory serve what local evaluation needs", async () => {
    const snapshot = await client.snapshot("sdk-paid");
    expect(snapshot).toMatchObject({
      memberId: "sdk-paid",
      exists: true,
      locale: "en",
      entitlementsVersion: 3,
    });
    expect(snapshot.memberships).toEqual([
      expect.objectContaining({ tier: "vip", status: "active", expiresAt: "2026-12-24T02:00:00.000Z" }),
    ]);
    expect(new Set(snapshot.grants.map((g) => g.benefit))).toEqual(
      new Set(DEMO_CATALOG.tiers.find((t) => t.code === "vip")!.benefits),
    );
    expect(await client.snapshot("sdk-nobody")).toMatchObject({
      exists: false,
      entitlementsVersion: 0,
      grants: [],
    });

    const history = await client.catalogHistory();
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]).toMatchObject({
      version: 1,
      effectiveFrom: null,
      diff: { tiers: expect.any(Array) },
    });
    expect(history.versions[0].document).toEqual(JSON.parse(JSON.stringify(DEMO_CATALOG)));
  });

  it("server errors become PerkwiseError with the documented code, message, details and status", async () => {
    const unknownBenefit = await failure(client.check("sdk-paid", "no_such_benefit"));
    expect(unknownBenefit).toMatchObject({ code: "BENEFIT_NOT_FOUND", status: 404 });
    expect(unknownBenefit.details).toEqual([{ path: "/benefit", message: "unknown benefit" }]);

    const badInput = await failure(client.check("sdk-paid", "ad_free", { at: "yesterday" }));
    expect(badInput).toMatchObject({ code: "VALIDATION_FAILED", status: 400 });
    expect(badInput.details.map((d) => d.path)).toContain("/context/at");

    expect(await failure(client.entitlements("sdk-nobody"))).toMatchObject({
      code: "MEMBER_NOT_FOUND",
      status: 404,
    });

    const wrongKey = createClient({ url: s.baseUrl, apiKey: "pwk_wrong.key" });
    expect(await failure(wrongKey.check("sdk-paid", "ad_free"))).toMatchObject({
      code: "UNAUTHENTICATED",
      status: 401,
    });
    const support = await s.request("POST", "/v1/api-keys", {
      body: { name: "sdk-support", role: "support" },
    });
    const supportClient = createClient({ url: s.baseUrl, apiKey: support.body.key });
    expect(await failure(supportClient.snapshot("sdk-paid"))).toMatchObject({
      code: "FORBIDDEN",
      status: 403,
    });
    // The admin key may do what a service key may.
    expect((await createClient({ url: s.baseUrl, apiKey: ADMIN_KEY }).snapshot("sdk-paid")).exists).toBe(
      true,
    );
  });

  it("an unreachable server is UNREACHABLE, a slow one TIMEOUT, a non-Perkwise answer BAD_RESPONSE", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const down = await failure(
      createClient({ url: `http://127.0.0.1:${closedPort}`, apiKey: "k" }).check("m", "b"),
    );
    expect(down).toMatchObject({ code: "UNREACHABLE", status: 0, unavailable: true });

    const slow = createServer((_req, res) => setTimeout(() => res.end("{}"), 2000));
    const html = createServer((_req, res) =>
      res.writeHead(502, { "content-type": "text/html" }).end("<h1>bad gateway</h1>"),
    );
    const listen = (server: typeof slow) =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      );
    try {
      const timedOut = await failure(
        createClient({ url: await listen(slow), apiKey: "k", timeoutMs: 100 }).check("m", "b"),
      );
      expect(timedOut).toMatchObject({ code: "TIMEOUT", status: 0, unavailable: true });
      const gateway = await failure(createClient({ url: await listen(html), apiKey: "k" }).check("m", "b"));
      expect(gateway).toMatchObject({ code: "BAD_RESPONSE", status: 502, unavailable: false });
    } finally {
      slow.closeAllConnections();
      slow.close();
      html.close();
    }
  });

  it("a custom fetch sees every request (and its Authorization header)", async () => {
    const seen: string[] = [];
    const traced = createClient({
      url: `${s.baseUrl}/`,
      apiKey: ADMIN_KEY,
      fetch: (request) => {
        seen.push(
          `${request.method} ${new URL(request.url).pathname} ${request.headers.get("authorization")}`,
        );
        return fetch(request);
      },
    });
    await traced.check("sdk-paid", "ad_free");
    expect(seen).toEqual([`POST /v1/check Bearer ${ADMIN_KEY}`]);
  });
});
