import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { DEMO_MEMBERS } from "../../src/demo/seed-demo.js";
import {
  createClient,
  createLocalEvaluator,
  type DecisionContextInput,
  type LocalEvaluator,
  type PerkwiseClient,
} from "../../src/sdk/index.js";
import { T0 } from "../e2e-harness.js";
import { type SeededDemoServer, startSeededDemoServer } from "../support/seeded-demo-server.js";
import { TEST_ENGINES } from "../test-database.js";

const CONTEXTS: (DecisionContextInput | undefined)[] = [
  undefined,
  { product: { category: "books" } },
  { product: { category: "books", onSale: true }, channel: "official_app" },
  { client: { platform: "ios", version: "5.0.0", entitlementsVersion: 1 } },
  { client: { platform: "android", version: "6.0.0" } },
  // Enough before the demo's rule change (vip_zone now needs 5.3.0): RULE_CHANGED.
  { client: { platform: "ios", version: "5.2.0" } },
  { usage: 5000 },
  { at: "2026-11-25T08:00:00+08:00" },
  { at: "2027-03-01T00:00:00Z" },
];

/** The local evaluator decides exactly as the server's /v1/check on every demo member. */
describe.each(TEST_ENGINES)("SDK local evaluator agrees with /v1/check on $name", (engine) => {
  let demo: SeededDemoServer;
  let client: PerkwiseClient;
  let evaluator: LocalEvaluator;

  beforeAll(async () => {
    demo = await startSeededDemoServer(engine, T0);
    // A platform's backend holds a service key: the member's stored locale words the reasons, with
    // `locale` for members without one — on the server as in the evaluator. (An admin key's
    // Accept-Language would win: an operator reads the answer.)
    const created = await fetch(`${demo.baseUrl}/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "platform-backend", role: "service" }),
    });
    expect(created.status).toBe(201);
    const serviceKey = ((await created.json()) as { key: string }).key;
    client = createClient({ url: demo.baseUrl, apiKey: serviceKey, locale: "en" });
    evaluator = createLocalEvaluator({
      url: demo.baseUrl,
      apiKey: serviceKey,
      locale: "en",
      members: DEMO_MEMBERS.map((m) => m.id),
      staleAfterMs: 10 * 60_000,
      now: () => demo.clock.now(),
    });
    await evaluator.ready();
  });
  afterAll(async () => {
    await evaluator.close();
    await demo.stop();
  });

  it("on every demo member × benefit × context (and on a member the server never heard of)", async () => {
    const benefits = DEMO_CATALOG.benefits.map((b) => b.code);
    const members = [...DEMO_MEMBERS.map((m) => m.id), "demo-never-registered"];
    expect(evaluator.status()).toMatchObject({ members: DEMO_MEMBERS.length, catalogVersion: 2 });
    const reasonCodes = new Set<string>();
    const checks = members.flatMap((memberId) =>
      benefits.flatMap((benefit) => CONTEXTS.map((context) => ({ memberId, benefit, context }))),
    );
    // The server's answers in batches (up to 1000 a request), the evaluator's one by one.
    const remote = [];
    for (let i = 0; i < checks.length; i += 1000)
      remote.push(...(await client.checkBatch(checks.slice(i, i + 1000))));
    let compared = 0;
    for (const [i, { memberId, benefit, context }] of checks.entries()) {
      const { freshness, source, ...local } = await evaluator.decide(memberId, benefit, context);
      expect(local, `${memberId} ${benefit} ${JSON.stringify(context)}`).toEqual(remote[i]);
      expect([freshness, source]).toEqual(["fresh", "local"]);
      for (const reason of remote[i].reasons) reasonCodes.add(reason.code);
      compared++;
    }
    expect(compared).toBe(members.length * benefits.length * CONTEXTS.length);
    // The demo shows every kind of answer, so the comparison covered them.
    for (const code of [
      "GRANTED",
      "NO_MEMBERSHIP",
      "PAYMENT_PENDING",
      "MEMBERSHIP_EXPIRED",
      "MEMBERSHIP_REVOKED",
      "MEMBERSHIP_IN_GRACE",
      "TIER_NOT_ELIGIBLE",
      "NOT_YET_EFFECTIVE",
      "OUT_OF_SCOPE",
      "TOGGLE_OFF",
      "CLAIM_REQUIRED",
      "QUOTA_EXHAUSTED",
      "CLIENT_OUTDATED",
      "CLIENT_CACHE_STALE",
      "RULE_CHANGED",
      "ACCOUNT_ON_HOLD",
    ]) {
      expect(reasonCodes, code).toContain(code);
    }
  });

  it("decideCached answers the same synchronously, and entitlements match the server's", async () => {
    for (const { id } of DEMO_MEMBERS) {
      const cached = evaluator.decideCached(id, "vip_zone", {
        client: { platform: "ios", version: "5.0.0" },
      });
      expect(cached.source).toBe("local");
      const { freshness: _f, source: _s, ...decision } = cached;
      expect(decision).toEqual(
        await client.check(id, "vip_zone", { client: { platform: "ios", version: "5.0.0" } }),
      );
      expect(await evaluator.entitlements(id)).toEqual(await client.entitlements(id));
    }
  });

  it("rejects an unknown benefit and a bad context as the server does", async () => {
    const local = await evaluator.decide("demo-vip", "no_such_benefit").catch((error: unknown) => error);
    expect(local).toMatchObject({ name: "PerkwiseError", code: "BENEFIT_NOT_FOUND" });
    // In the server's words, from the same catalogue of messages.
    const remote = await client.check("demo-vip", "no_such_benefit").catch((error: unknown) => error);
    expect((local as Error).message).toBe((remote as Error).message);
    await expect(evaluator.decide("demo-vip", "ad_free", { at: "yesterday" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "/context/at", message: "must be an ISO-8601 date-time with an offset" }],
    });
  });
});
