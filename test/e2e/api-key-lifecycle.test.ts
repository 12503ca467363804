/**
 * Issue 18 item 1: API keys are revoked at once on every node, rotated with an overlap, expire, and
 * say when they were last used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectErrorShape, expectRefusedCredentials } from "./support/error-responses.js";

describe.each(TEST_ENGINES)("API key lifecycle ($name)", (engine) => {
  let a: TestServer;
  let b: TestServer;
  let seq = 0;
  const newKey = async (body: Record<string, unknown> = {}) => {
    const res = await a.request("POST", "/v1/api-keys", {
      body: { name: `key-${++seq}`, role: "service", ...body },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string; expiresAt: string | null };
  };
  /** What a key's holder gets from a service route on `node`. */
  const use = (node: TestServer, key: string) => node.request("GET", "/v1/catalog", { auth: key });
  const listed = async (id: string) =>
    ((await a.request("GET", "/v1/api-keys")).body.keys as { id: string }[]).find((k) => k.id === id) as
      | Record<string, string | null>
      | undefined;

  beforeAll(async () => {
    a = await TestServer.start(engine);
    await a.putCatalog(DEMO_CATALOG);
    b = await TestServer.startOn(a.database, a.clock, { ownsDatabase: false });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a revoked key is refused at once on this node and on the other; revoking again changes nothing", async () => {
    const { id, key } = await newKey();
    // Both nodes have verified (and cached) the key before it is revoked.
    expect((await use(a, key)).status).toBe(200);
    expect((await use(b, key)).status).toBe(200);
    const revoked = await a.request("DELETE", `/v1/api-keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, revokedAt: new Date(a.clock.now()).toISOString() });
    expectRefusedCredentials(await use(a, key), "invalid");
    await eventually("node B refuses the revoked key", async () => (await use(b, key)).status === 401, 1000);
    a.clock.advance(5_000);
    const again = await a.request("DELETE", `/v1/api-keys/${id}`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await listed(id))?.revokedAt).toBe(revoked.body.revokedAt);
    expectErrorShape(
      await a.request("POST", `/v1/api-keys/${id}/rotate`, { body: {} }),
      404,
      "API_KEY_NOT_FOUND",
    );
    expectErrorShape(await a.request("DELETE", "/v1/api-keys/0123456789abcdef"), 404, "API_KEY_NOT_FOUND");
    const malformed = await a.request("DELETE", "/v1/api-keys/not-a-key-id");
    expect([malformed.status, malformed.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("a rotated key's old secret works until the overlap ends, the new one from the start", async () => {
    const { id, key: old } = await newKey();
    expect((await use(b, old)).status).toBe(200);
    const rotated = await a.request("POST", `/v1/api-keys/${id}/rotate`, { body: { overlapMinutes: 30 } });
    expect(rotated.status).toBe(200);
    const until = new Date(a.clock.now() + 30 * 60_000).toISOString();
    expect(rotated.body).toMatchObject({ id, previousSecretValidUntil: until, revokedAt: null });
    expect(rotated.body.key).not.toBe(old);
    for (const node of [a, b]) {
      expect((await use(node, rotated.body.key)).status).toBe(200);
      expect((await use(node, old)).status).toBe(200);
    }
    expect((await listed(id))?.previousSecretValidUntil).toBe(until);
    const start = a.clock.now();
    try {
      a.clock.advance(30 * 60_000);
      // Both nodes had the old secret cached: it still expires on time.
      for (const node of [a, b]) {
        expectRefusedCredentials(await use(node, old), "invalid");
        expect((await use(node, rotated.body.key)).status).toBe(200);
      }
    } finally {
      a.clock.set(start);
    }
  });

  it("a rotation without overlap refuses the old secret at once, and the default overlap is an hour", async () => {
    const { id, key: old } = await newKey();
    expect((await use(b, old)).status).toBe(200);
    const rotated = await a.request("POST", `/v1/api-keys/${id}/rotate`, { body: { overlapMinutes: 0 } });
    expectRefusedCredentials(await use(a, old), "invalid");
    await eventually(
      "node B refuses the rotated-out secret",
      async () => (await use(b, old)).status === 401,
      1000,
    );
    const defaulted = await a.request("POST", `/v1/api-keys/${id}/rotate`, { body: {} });
    expect(defaulted.status, JSON.stringify(defaulted.body)).toBe(200);
    expect(defaulted.body.previousSecretValidUntil).toBe(new Date(a.clock.now() + 3_600_000).toISOString());
    expect((await use(a, rotated.body.key)).status).toBe(200);
    const negative = await a.request("POST", `/v1/api-keys/${id}/rotate`, { body: { overlapMinutes: -1 } });
    expect([negative.status, negative.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("a key created with an expiry is refused from then on; an expiry in the past is refused", async () => {
    const expiresAt = new Date(a.clock.now() + 3_600_000).toISOString();
    const { id, key } = await newKey({ expiresAt });
    expect((await listed(id))?.expiresAt).toBe(expiresAt);
    expect((await use(a, key)).status).toBe(200);
    const start = a.clock.now();
    try {
      a.clock.advance(3_600_000);
      expectRefusedCredentials(await use(a, key), "invalid");
    } finally {
      a.clock.set(start);
    }
    const past = await a.request("POST", "/v1/api-keys", {
      body: { name: "late", role: "service", expiresAt: new Date(start - 1000).toISOString() },
    });
    expect([past.status, past.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(past.body.error.details).toEqual([{ path: "/expiresAt", message: "must be after now" }]);
  });

  it("lastUsedAt is written at most once a minute, and only for API keys", async () => {
    const { id, key } = await newKey();
    expect((await listed(id))?.lastUsedAt).toBeNull();
    const first = new Date(a.clock.now()).toISOString();
    await use(a, key);
    await eventually("lastUsedAt is written", async () => (await listed(id))?.lastUsedAt === first);
    const start = a.clock.now();
    try {
      a.clock.advance(30_000);
      await use(a, key);
      a.clock.advance(31_000);
      await use(a, key);
      const later = new Date(a.clock.now()).toISOString();
      await eventually(
        "lastUsedAt moves a minute later",
        async () => (await listed(id))?.lastUsedAt === later,
      );
    } finally {
      a.clock.set(start);
    }
  });
});
