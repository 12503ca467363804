import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createLocalEvaluator, type LocalEvaluator } from "../../src/sdk/index.js";
import { T0 } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { type SeededDemoServer, startSeededDemoServer } from "../support/seeded-demo-server.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { TEST_ENGINES } from "../test-database.js";

// Long enough that a loaded CI machine still decides within it after a fetch.
const STALE_AFTER_MS = 2000;

/**
 * Stale-snapshot fallback: the event stream breaks (its connection goes through a proxy the test
 * cuts) → decisions say stale and come from the server; the server stops → the configured default.
 */
describe.each(TEST_ENGINES)("SDK local evaluator when disconnected, on $name", (engine) => {
  let demo: SeededDemoServer;
  let proxy: TcpProxy;
  let evaluator: LocalEvaluator;

  beforeAll(async () => {
    demo = await startSeededDemoServer(engine, T0);
    proxy = await TcpProxy.start(demo.baseUrl);
    evaluator = createLocalEvaluator({
      url: demo.baseUrl,
      apiKey: demo.adminKey,
      members: ["demo-vip", "demo-new"],
      defaults: { ad_free: true },
      staleAfterMs: STALE_AFTER_MS,
      reconnectMs: 50,
      now: () => demo.clock.now(),
      // Only the event stream goes through the proxy, so cutting it leaves the server reachable.
      fetch: (request) => {
        const url = new URL(request.url);
        if (url.pathname !== "/v1/events") return fetch(request);
        return fetch(new Request(new URL(`${url.pathname}${url.search}`, proxy.url), request));
      },
    });
    await evaluator.ready();
  });
  afterAll(async () => {
    await evaluator.close();
    await proxy.cut();
    await demo.stop();
  });

  it("fresh from memory while the stream is up", async () => {
    await eventually("evaluator.status().connected", () => evaluator.status().connected, 10_000);
    const decision = await evaluator.decide("demo-vip", "ad_free");
    expect(decision).toMatchObject({ allowed: true, freshness: "fresh", source: "local" });
    expect(decision.fallback).toBeUndefined();
  });

  it("stale once the stream has been down longer than staleAfterMs: the server answers, then memory again on reconnect", async () => {
    const stale = once(evaluator, "stale");
    const cutAt = Date.now();
    await proxy.cut();
    await stale;
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(STALE_AFTER_MS - 100);
    expect(evaluator.status()).toMatchObject({ connected: false, disconnectedSince: expect.any(Number) });

    const cached = evaluator.decideCached("demo-vip", "ad_free");
    expect(cached).toMatchObject({ allowed: true, freshness: "stale", source: "local" });

    const viaServer = await evaluator.decide("demo-vip", "vip_zone", {
      client: { platform: "ios", version: "5.0.0" },
    });
    expect(viaServer).toMatchObject({
      freshness: "stale",
      source: "server",
      fallback: { code: "STALE_SNAPSHOT" },
    });
    const { freshness: _f, source: _s, fallback: _b, ...decision } = viaServer;
    const client = createClient({ url: demo.baseUrl, apiKey: demo.adminKey });
    expect(decision).toEqual(
      await client.check("demo-vip", "vip_zone", { client: { platform: "ios", version: "5.0.0" } }),
    );

    await proxy.restore();
    await once(evaluator, "fresh");
    expect(await evaluator.decide("demo-vip", "ad_free")).toMatchObject({
      freshness: "fresh",
      source: "local",
    });
  });

  it("with the server down too: the default for the benefit, or a denial that says why", async () => {
    await proxy.cut();
    await demo.stop();
    await eventually(
      "Date.now() - (evaluator.status().disconnectedSince ?? Date.now()) > STALE_AFTER_MS",
      () => Date.now() - (evaluator.status().disconnectedSince ?? Date.now()) > STALE_AFTER_MS,
      10_000,
    );

    const configured = await evaluator.decide("demo-vip", "ad_free");
    expect(configured).toMatchObject({
      allowed: true,
      freshness: "stale",
      source: "default",
      reasons: [],
      fallback: { code: "SERVER_UNREACHABLE", message: expect.stringContaining("allow") },
    });
    const unconfigured = await evaluator.decide("demo-vip", "vip_zone");
    expect(unconfigured).toMatchObject({
      allowed: false,
      source: "default",
      fallback: { code: "SERVER_UNREACHABLE" },
    });
    const neverLoaded = await evaluator.decide("demo-svip", "ad_free");
    expect(neverLoaded).toMatchObject({
      allowed: true,
      source: "default",
      fallback: { code: "SERVER_UNREACHABLE" },
    });
    // The hot path keeps answering from memory, marked stale.
    expect(evaluator.decideCached("demo-vip", "ad_free")).toMatchObject({
      allowed: true,
      freshness: "stale",
      source: "local",
    });
    expect(evaluator.decideCached("demo-downgrade", "ad_free")).toMatchObject({
      allowed: true,
      source: "default",
      fallback: { code: "MEMBER_NOT_LOADED" },
    });
    // Restarting nothing: the afterAll hook must not stop the server twice.
    demo.stop = async () => {};
  });
});
