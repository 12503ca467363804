import { OpenFeature, ProviderEvents } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createLocalEvaluator, PerkwiseProvider } from "../../src/sdk/index.js";
import { T0 } from "../e2e-harness.js";
import { type SeededDemoServer, startSeededDemoServer } from "../support/seeded-demo-server.js";
import { TEST_ENGINES } from "../test-database.js";

/** The provider through the real @openfeature/server-sdk, deciding locally and remotely. */
describe.each(TEST_ENGINES)("OpenFeature provider on $name", (engine) => {
  let demo: SeededDemoServer;

  beforeAll(async () => {
    demo = await startSeededDemoServer(engine, T0);
  });
  afterAll(async () => {
    await OpenFeature.close();
    await demo.stop();
  });

  const modes = [
    {
      mode: "local",
      provider: () =>
        new PerkwiseProvider({
          evaluator: createLocalEvaluator({
            url: demo.baseUrl,
            apiKey: demo.adminKey,
            locale: "en",
            members: ["demo-vip"],
            staleAfterMs: 10 * 60_000,
            now: () => demo.clock.now(),
          }),
        }),
    },
    {
      mode: "remote",
      provider: () =>
        new PerkwiseProvider({
          client: createClient({ url: demo.baseUrl, apiKey: demo.adminKey, locale: "en" }),
        }),
    },
  ] as const;

  describe.each(modes)("deciding $mode", ({ mode, provider }) => {
    const domain = `perkwise-${engine.name}-${mode}`;
    beforeAll(async () => {
      await OpenFeature.setProviderAndWait(domain, provider());
    });

    it("allowed: true, TARGETING_MATCH, Perkwise's reasons in flagMetadata", async () => {
      const client = OpenFeature.getClient(domain);
      const details = await client.getBooleanDetails("ad_free", false, { targetingKey: "demo-vip" });
      expect(details).toMatchObject({
        flagKey: "ad_free",
        value: true,
        reason: "TARGETING_MATCH",
        variant: "granted",
        flagMetadata: {
          allowed: true,
          reasonCodes: "GRANTED",
          source: mode === "local" ? "local" : "server",
          freshness: "fresh",
        },
      });
      expect(details.errorCode).toBeUndefined();
      expect(JSON.parse(details.flagMetadata.reasons as string)).toEqual([
        expect.objectContaining({ code: "GRANTED", remedy: { actor: "member", action: "none" } }),
      ]);
      expect(JSON.parse(details.flagMetadata.grant as string)).toMatchObject({ tier: "vip" });
      expect(await client.getBooleanValue("ad_free", false, { targetingKey: "demo-vip" })).toBe(true);
    });

    it("denied: false, DISABLED for the member's state, TARGETING_MATCH when the context decided", async () => {
      const client = OpenFeature.getClient(domain);
      const expired = await client.getBooleanDetails("ad_free", true, { targetingKey: "demo-expired" });
      expect(expired).toMatchObject({ value: false, reason: "DISABLED", variant: "denied" });
      expect(expired.flagMetadata.reasonCodes).toBe("MEMBERSHIP_EXPIRED");

      const oldApp = await client.getBooleanDetails("vip_zone", true, {
        targetingKey: "demo-vip",
        client: { platform: "ios", version: "5.2.0" },
      });
      expect(oldApp).toMatchObject({ value: false, reason: "TARGETING_MATCH", variant: "denied" });
      expect(oldApp.flagMetadata.reasonCodes).toBe("CLIENT_OUTDATED,RULE_CHANGED");
      expect(JSON.parse(oldApp.flagMetadata.reasons as string)[1]).toMatchObject({
        code: "RULE_CHANGED",
        details: { field: "rules.minClientVersion", before: "5.2.0", after: "5.3.0" },
      });

      const saleItem = await client.getBooleanDetails("member_discount", true, {
        targetingKey: "demo-vip",
        product: { category: "books", onSale: true },
        at: new Date(T0 + 2 * 24 * 3600 * 1000),
      });
      expect(saleItem).toMatchObject({
        value: false,
        reason: "TARGETING_MATCH",
        flagMetadata: { reasonCodes: "OUT_OF_SCOPE" },
      });
    });

    it("errors: FLAG_NOT_FOUND for an unknown benefit, TARGETING_KEY_MISSING without a member, INVALID_CONTEXT", async () => {
      const client = OpenFeature.getClient(domain);
      expect(
        await client.getBooleanDetails("no_such_benefit", true, { targetingKey: "demo-vip" }),
      ).toMatchObject({
        value: true,
        reason: "ERROR",
        errorCode: "FLAG_NOT_FOUND",
      });
      expect(await client.getBooleanDetails("ad_free", true, {})).toMatchObject({
        value: true,
        reason: "ERROR",
        errorCode: "TARGETING_KEY_MISSING",
      });
      expect(
        await client.getBooleanDetails("ad_free", true, { targetingKey: "demo-vip", product: "books" }),
      ).toMatchObject({
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT",
      });
      expect(
        await client.getBooleanDetails("ad_free", true, { targetingKey: "demo-vip", at: "yesterday" }),
      ).toMatchObject({
        reason: "ERROR",
        errorCode: "INVALID_CONTEXT",
      });
    });

    it("numbers are a quota's remaining amount; strings are a type mismatch; objects the whole decision", async () => {
      const client = OpenFeature.getClient(domain);
      expect(await client.getNumberDetails("cloud_storage", -1, { targetingKey: "demo-vip" })).toMatchObject({
        value: 2048,
        reason: "TARGETING_MATCH",
        flagMetadata: { state: "active" },
      });
      expect(await client.getNumberDetails("cloud_storage", -1, { targetingKey: "demo-new" })).toMatchObject({
        value: 0,
        reason: "DISABLED",
      });
      expect(await client.getNumberDetails("ad_free", -1, { targetingKey: "demo-vip" })).toMatchObject({
        value: -1,
        reason: "ERROR",
        errorCode: "TYPE_MISMATCH",
      });
      expect(await client.getStringDetails("ad_free", "x", { targetingKey: "demo-vip" })).toMatchObject({
        value: "x",
        errorCode: "TYPE_MISMATCH",
      });
      const object = await client.getObjectDetails("ad_free", {}, { targetingKey: "demo-vip" });
      expect(object.value).toMatchObject({ memberId: "demo-vip", benefit: "ad_free", allowed: true });
    });
  });

  it("emits configuration changes when the local evaluator reloads a member", async () => {
    const domain = `perkwise-${engine.name}-events`;
    const evaluator = createLocalEvaluator({ url: demo.baseUrl, apiKey: demo.adminKey, follow: false });
    await OpenFeature.setProviderAndWait(domain, new PerkwiseProvider({ evaluator }));
    const changed: unknown[] = [];
    OpenFeature.getClient(domain).addHandler(ProviderEvents.ConfigurationChanged, (details) => {
      changed.push(details?.metadata);
    });
    await evaluator.preload(["demo-svip"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(changed).toContainEqual({ memberId: "demo-svip", entitlementsVersion: expect.any(Number) });
  });

  it("STALE from a stale local copy (whenStale: local), with a provider stale event", async () => {
    const domain = `perkwise-${engine.name}-stale`;
    const evaluator = createLocalEvaluator({
      url: demo.baseUrl,
      apiKey: demo.adminKey,
      follow: false,
      staleAfterMs: 1000,
      whenStale: "local",
      members: ["demo-vip"],
      now: () => demo.clock.now(),
    });
    await OpenFeature.setProviderAndWait(domain, new PerkwiseProvider({ evaluator }));
    const client = OpenFeature.getClient(domain);
    const stale = new Promise((resolve) => client.addHandler(ProviderEvents.Stale, resolve));
    expect(await client.getBooleanDetails("ad_free", false, { targetingKey: "demo-vip" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
      flagMetadata: { freshness: "fresh" },
    });
    await stale;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await client.getBooleanDetails("ad_free", false, { targetingKey: "demo-vip" })).toMatchObject({
      value: true,
      reason: "STALE",
      flagMetadata: { freshness: "stale", source: "local" },
    });
  });
});
