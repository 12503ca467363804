/**
 * The authorization matrix: every endpoint × every kind of caller. Adding a route means adding one
 * line to ENDPOINTS; the coverage test fails until it is there.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, type ApiResponse, PAYMENT_SECRET, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

type Role = "admin" | "service" | "support" | "member";
type Principal = "none" | "garbage" | "admin" | "service" | "support" | "member_self" | "member_other";
const PRINCIPALS: readonly Principal[] = [
  "none",
  "garbage",
  "admin",
  "service",
  "support",
  "member_self",
  "member_other",
];

/** Ids and secrets made in beforeAll; the table reads them lazily. */
interface Fixture {
  memberA: string;
  memberB: string;
  orderA: { orderId: string; amount: number };
  secrets: Record<Principal, string | null>;
}

interface Endpoint {
  method: "GET" | "POST" | "PUT";
  /** The path as the OpenAPI document spells it. */
  template: string;
  /** Who may call it, as DESIGN.md says; "signature" = Standard Webhooks, "public" = anyone. */
  who: readonly Role[] | "signature" | "public";
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** The statuses an allowed caller may get (default: any 2xx). */
  ok?: readonly number[];
}

const A = (f: Fixture) => encodeURIComponent(f.memberA);

const ENDPOINTS: readonly Endpoint[] = [
  { method: "GET", template: "/healthz", who: "public", path: () => "/healthz" },
  { method: "GET", template: "/openapi.json", who: "public", path: () => "/openapi.json" },
  {
    method: "POST",
    template: "/v1/api-keys",
    who: ["admin"],
    path: () => "/v1/api-keys",
    body: () => ({ name: "matrix", role: "support" }),
  },
  { method: "GET", template: "/v1/api-keys", who: ["admin"], path: () => "/v1/api-keys" },
  {
    method: "PUT",
    template: "/v1/catalog",
    who: ["admin"],
    path: () => "/v1/catalog",
    body: () => DEMO_CATALOG,
  },
  { method: "GET", template: "/v1/catalog", who: ["admin", "service"], path: () => "/v1/catalog" },
  {
    method: "GET",
    template: "/v1/catalog/versions",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions",
  },
  {
    method: "GET",
    template: "/v1/catalog/versions/{n}",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions/1",
  },
  {
    method: "GET",
    template: "/v1/catalog/versions/{n}/diff",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions/1/diff",
  },
  {
    method: "PUT",
    template: "/v1/members/{memberId}",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}`,
    body: () => ({ displayName: "Alice", locale: "en" }),
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}`,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/token",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/token`,
    body: () => ({}),
  },
  {
    method: "POST",
    template: "/v1/orders",
    who: ["service"],
    path: () => "/v1/orders",
    body: (f) => ({ memberId: f.memberA, plan: "vip_month" }),
  },
  {
    method: "POST",
    template: "/v1/payments/events",
    who: "signature",
    path: () => "/v1/payments/events",
    body: (f) => ({
      type: "payment.succeeded",
      data: { orderId: f.orderA.orderId, amount: f.orderA.amount },
    }),
  },
  {
    method: "POST",
    template: "/v1/check",
    who: ["service"],
    path: () => "/v1/check",
    body: (f) => ({ memberId: f.memberA, benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/check/batch",
    who: ["service"],
    path: () => "/v1/check/batch",
    body: (f) => ({ checks: [{ memberId: f.memberA, benefit: "ad_free" }] }),
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}/entitlements",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/entitlements`,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/benefits/{benefit}/claim",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/benefits/monthly_gift/claim`,
  },
  {
    method: "PUT",
    template: "/v1/members/{memberId}/benefits/{benefit}/toggle",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/benefits/hd_download_boost/toggle`,
    body: () => ({ on: true }),
  },
  { method: "GET", template: "/v1/me/entitlements", who: ["member"], path: () => "/v1/me/entitlements" },
  {
    method: "POST",
    template: "/v1/me/check",
    who: ["member"],
    path: () => "/v1/me/check",
    body: () => ({ benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/me/benefits/{benefit}/claim",
    who: ["member"],
    path: () => "/v1/me/benefits/monthly_gift/claim",
    // The other member holds no grant: 409 BENEFIT_NOT_GRANTED is an answer, not a refusal.
    ok: [200, 409],
  },
  {
    method: "PUT",
    template: "/v1/me/benefits/{benefit}/toggle",
    who: ["member"],
    path: () => "/v1/me/benefits/hd_download_boost/toggle",
    body: () => ({ on: true }),
    ok: [200, 409],
  },
];

/** May this principal call a route open to `who`? An admin may do what service and support may. */
function allowed(endpoint: Endpoint, principal: Principal): boolean {
  const { who } = endpoint;
  if (who === "public" || who === "signature") return true;
  switch (principal) {
    case "none":
    case "garbage":
      return false;
    case "admin":
      return who.includes("admin") || who.includes("service") || who.includes("support");
    case "member_self":
    case "member_other":
      return who.includes("member");
    default:
      return who.includes(principal);
  }
}

function expectErrorShape(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(res.body.error.details).toEqual([]);
}

/** A Standard Webhooks signature over `raw`, as the provider would send it. */
function signedHeaders(raw: string, nowMs: number, webhookId: string, secret = PAYMENT_SECRET) {
  const at = new Date(nowMs);
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(nowMs / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, at, raw),
  };
}

let webhookCounter = 0;

describe.each(TEST_ENGINES)("authorization matrix ($name)", (engine) => {
  let server: TestServer;
  const f: Fixture = {
    memberA: "auth-alice",
    memberB: "auth-bob",
    orderA: { orderId: "", amount: 0 },
    secrets: {
      none: null,
      garbage: "not-a-real-credential",
      admin: ADMIN_KEY,
      service: null,
      support: null,
      member_self: null,
      member_other: null,
    },
  };
  const createdKeys: string[] = [];

  async function call(endpoint: Endpoint, principal: Principal, extraHeaders: Record<string, string> = {}) {
    const path = endpoint.path(f);
    const body = endpoint.body?.(f);
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...extraHeaders };
    if (endpoint.who === "signature" && raw !== undefined && !("webhook-signature" in extraHeaders)) {
      Object.assign(headers, signedHeaders(raw, server.clock.now(), `msg_matrix_${++webhookCounter}`));
    }
    return server.request(endpoint.method, path, { raw, auth: f.secrets[principal], headers });
  }

  beforeAll(async () => {
    server = await TestServer.start(engine);
    await server.putCatalog(DEMO_CATALOG);
    for (const role of ["service", "support"] as const) {
      const res = await server.request("POST", "/v1/api-keys", { body: { name: `${role} key`, role } });
      expect(res.status).toBe(201);
      f.secrets[role] = res.body.key;
      createdKeys.push(res.body.key);
    }
    await server.createMember(f.memberA, { displayName: "Alice", locale: "en" });
    await server.createMember(f.memberB, { displayName: "Bob", locale: "en" });
    // Alice is a paying VIP, Bob has nothing: their entitlements differ visibly.
    const order = await server.createOrder(f.memberA, "vip_month");
    expect((await server.pay(order.orderId, order.amount.amount)).status).toBe(200);
    f.orderA = { orderId: order.orderId, amount: order.amount.amount };
    f.secrets.member_self = await server.memberToken(f.memberA);
    f.secrets.member_other = await server.memberToken(f.memberB);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("the table lists every route the server documents", async () => {
    const res = await server.request("GET", "/openapi.json", { auth: null });
    expect(res.status).toBe(200);
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const listed = new Set(ENDPOINTS.map((e) => `${e.method} ${e.template}`));
    const missing = documented.filter((route) => !listed.has(route));
    expect(missing, "add a line to ENDPOINTS for each of these routes").toEqual([]);
  });

  const cases = ENDPOINTS.flatMap((endpoint) => PRINCIPALS.map((principal) => ({ endpoint, principal })));
  it.each(cases.map((c) => [`${c.endpoint.method} ${c.endpoint.template}`, c.principal, c] as const))(
    "%s as %s",
    async (_route, principal, { endpoint }) => {
      const res = await call(endpoint, principal);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      if (!allowed(endpoint, principal)) {
        const unauthenticated = principal === "none" || principal === "garbage";
        if (unauthenticated) expectErrorShape(res, 401, "UNAUTHENTICATED");
        else expectErrorShape(res, 403, "FORBIDDEN");
        return;
      }
      expect([401, 403], JSON.stringify(res.body)).not.toContain(res.status);
      if (endpoint.ok) expect(endpoint.ok, JSON.stringify(res.body)).toContain(res.status);
      else expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
      if (!endpoint.ok) expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      if (res.status >= 400) {
        expect(Object.keys(res.body)).toEqual(["error"]);
        expect(Array.isArray(res.body.error.details)).toBe(true);
      }
    },
  );

  describe("malformed Authorization headers are 401, never 403 or 5xx", () => {
    const variants: [string, Record<string, string>][] = [
      ["lower-case scheme", { authorization: `bearer ${ADMIN_KEY}` }],
      ["Basic scheme", { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString("base64")}` }],
      ["bare key", { authorization: ADMIN_KEY }],
      ["empty bearer", { authorization: "Bearer " }],
      ["two secrets", { authorization: `Bearer ${ADMIN_KEY} ${ADMIN_KEY}` }],
      ["admin key with a suffix", { authorization: `Bearer ${ADMIN_KEY}x` }],
      ["admin key prefix", { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}` }],
      ["forged API key", { authorization: `Bearer pwk_0123456789abcdef.${"A".repeat(43)}` }],
      ["very long bearer", { authorization: `Bearer ${"x".repeat(5000)}` }],
      ["JWT with alg none", { authorization: `Bearer ${unsignedJwt("auth-alice")}` }],
    ];
    it.each(variants)("%s", async (_name, headers) => {
      for (const path of ["/v1/catalog", "/v1/me/entitlements"]) {
        const res = await server.request("GET", path, { auth: null, headers });
        expectErrorShape(res, 401, "UNAUTHENTICATED");
      }
    });

    it("a service key with its secret part altered is refused", async () => {
      const key = f.secrets.service as string;
      const tampered = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
      expectErrorShape(
        await server.request("GET", "/v1/catalog", { auth: tampered }),
        401,
        "UNAUTHENTICATED",
      );
    });

    it("a member token signed with another secret is refused", async () => {
      const token = f.secrets.member_self as string;
      const [header, payload] = token.split(".");
      const forged = `${header}.${payload}.${Buffer.from("x".repeat(32)).toString("base64url")}`;
      expectErrorShape(
        await server.request("GET", "/v1/me/entitlements", { auth: forged }),
        401,
        "UNAUTHENTICATED",
      );
    });

    it("an expired member token is refused", async () => {
      const res = await server.request("POST", `/v1/members/${f.memberB}/token`, {
        body: { ttlSeconds: 60 },
      });
      expect(res.status).toBe(200);
      const start = server.clock.now();
      try {
        server.clock.advance(120_000);
        expectErrorShape(
          await server.request("GET", "/v1/me/entitlements", { auth: res.body.token }),
          401,
          "UNAUTHENTICATED",
        );
      } finally {
        server.clock.set(start);
      }
    });
  });

  // KNOWN BUG (src/auth/auth-service.ts): `verified`, the LRU of verified credentials, keeps a member
  // principal for 60 s of wall time without the token's `exp`, so a token used once before it expires
  // is still accepted after. Drop `.fails` once the cache entry is bounded by the token's expiry.
  it("a member token used before it expired is refused after", async () => {
    const res = await server.request("POST", `/v1/members/${f.memberB}/token`, { body: { ttlSeconds: 60 } });
    expect((await server.request("GET", "/v1/me/entitlements", { auth: res.body.token })).status).toBe(200);
    const start = server.clock.now();
    try {
      server.clock.advance(120_000);
      expectErrorShape(
        await server.request("GET", "/v1/me/entitlements", { auth: res.body.token }),
        401,
        "UNAUTHENTICATED",
      );
    } finally {
      server.clock.set(start);
    }
  });

  describe("/v1/me acts on the token's member only", () => {
    it("a token for B reads B's entitlements, never A's", async () => {
      const asA = await server.request("GET", "/v1/me/entitlements", { auth: f.secrets.member_self });
      const asB = await server.request("GET", "/v1/me/entitlements", { auth: f.secrets.member_other });
      expect(asA.status).toBe(200);
      expect(asB.status).toBe(200);
      expect(asA.body.memberId).toBe(f.memberA);
      expect(asB.body.memberId).toBe(f.memberB);
      expect(asA.body.memberships.length).toBeGreaterThan(0);
      expect(asB.body.memberships).toEqual([]);
      expect(JSON.stringify(asB.body)).not.toContain(f.memberA);
      expect(JSON.stringify(asB.body)).not.toContain(f.orderA.orderId);
      const adFree = (body: any) => body.benefits.find((b: any) => b.benefit === "ad_free")?.state;
      expect(adFree(asA.body)).toBe("active");
      expect(adFree(asB.body)).not.toBe("active");
    });

    it("a token for B checks B, and cannot name another member in the body", async () => {
      const asB = await server.request("POST", "/v1/me/check", {
        auth: f.secrets.member_other,
        body: { benefit: "ad_free" },
      });
      expect(asB.status).toBe(200);
      expect(asB.body.memberId).toBe(f.memberB);
      expect(asB.body.allowed).toBe(false);
      const smuggled = await server.request("POST", "/v1/me/check", {
        auth: f.secrets.member_other,
        body: { benefit: "ad_free", memberId: f.memberA },
      });
      expect(smuggled.status).toBe(400);
      expect(smuggled.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("a token for B cannot claim or toggle A's benefits, and A's grants stay untouched", async () => {
      const before = await server.request("GET", `/v1/members/${f.memberA}`, { auth: f.secrets.support });
      const claim = await server.request("POST", "/v1/me/benefits/monthly_gift/claim", {
        auth: f.secrets.member_other,
      });
      expect(claim.status).toBe(409);
      expect(claim.body.error.code).toBe("BENEFIT_NOT_GRANTED");
      const toggle = await server.request("PUT", "/v1/me/benefits/hd_download_boost/toggle", {
        auth: f.secrets.member_other,
        body: { on: false },
      });
      expect(toggle.status).toBe(409);
      const after = await server.request("GET", `/v1/members/${f.memberA}`, { auth: f.secrets.support });
      expect(after.body.grants).toEqual(before.body.grants);
    });

    it("a member token is refused on the same member's non-/me routes", async () => {
      for (const [method, path] of [
        ["GET", `/v1/members/${f.memberA}`],
        ["GET", `/v1/members/${f.memberA}/entitlements`],
        ["POST", `/v1/members/${f.memberA}/token`],
      ] as const) {
        const res = await server.request(method, path, { auth: f.secrets.member_self });
        expectErrorShape(res, 403, "FORBIDDEN");
      }
    });
  });

  describe("payments are authenticated by their signature, not by a bearer", () => {
    const event = () => ({
      type: "payment.succeeded",
      data: { orderId: f.orderA.orderId, amount: f.orderA.amount },
    });

    it.each(PRINCIPALS)("unsigned, with bearer %s: 401 INVALID_SIGNATURE", async (principal) => {
      const res = await server.request("POST", "/v1/payments/events", {
        raw: JSON.stringify(event()),
        auth: f.secrets[principal],
      });
      expectErrorShape(res, 401, "INVALID_SIGNATURE");
    });

    it.each([
      [
        "another secret",
        (raw: string, id: string) => signedHeaders(raw, server.clock.now(), id, otherSecret()),
      ],
      [
        "signature of another body",
        (raw: string, id: string) => signedHeaders(`${raw} `, server.clock.now(), id),
      ],
      [
        "signature for another webhook-id",
        (raw: string, id: string) => ({
          ...signedHeaders(raw, server.clock.now(), `${id}x`),
          "webhook-id": id,
        }),
      ],
      ["the admin key as signature", (_raw: string, id: string) => signatureHeader(id, `v1,${ADMIN_KEY}`)],
      ["v1a scheme", (_raw: string, id: string) => signatureHeader(id, `v1a,${"A".repeat(44)}`)],
      ["empty signature", (_raw: string, id: string) => signatureHeader(id, "")],
    ])("bad signature (%s): 401 INVALID_SIGNATURE, nothing recorded", async (_name, headersFor) => {
      const raw = JSON.stringify(event());
      const id = `msg_bad_${++webhookCounter}`;
      const res = await server.request("POST", "/v1/payments/events", {
        raw,
        auth: ADMIN_KEY,
        headers: headersFor(raw, id),
      });
      expectErrorShape(res, 401, "INVALID_SIGNATURE");
      const stored = await server.database.db
        .selectFrom("payment_events")
        .select("webhook_id")
        .where("webhook_id", "=", id)
        .execute();
      expect(stored).toEqual([]);
    });

    function signatureHeader(id: string, signature: string) {
      return {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(server.clock.now() / 1000)),
        "webhook-signature": signature,
      };
    }
  });

  describe("API key secrets", () => {
    it("are stored hashed: no key, nor its secret part, appears in the api_keys table", async () => {
      const rows = await server.database.db.selectFrom("api_keys").selectAll().execute();
      expect(rows.length).toBeGreaterThanOrEqual(createdKeys.length);
      const dump = JSON.stringify(rows);
      for (const key of createdKeys) {
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(key.split(".")[1]);
      }
      for (const row of rows) expect(row.secret_hash).not.toMatch(/^pwk_/);
    });

    it("are shown once on creation and never by GET /v1/api-keys", async () => {
      const created = await server.request("POST", "/v1/api-keys", {
        body: { name: "once", role: "service" },
      });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^pwk_/);
      createdKeys.push(created.body.key);
      const list = await server.request("GET", "/v1/api-keys");
      expect(list.status).toBe(200);
      expect(list.body.keys.length).toBeGreaterThanOrEqual(createdKeys.length);
      const dump = JSON.stringify(list.body);
      for (const key of createdKeys) {
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(key.split(".")[1]);
      }
      for (const k of list.body.keys) {
        expect(Object.keys(k).sort()).toEqual(["createdAt", "id", "name", "revokedAt", "role"]);
      }
      // The new key works at once, with its role.
      const asNew = await server.request("GET", "/v1/catalog", { auth: created.body.key });
      expect(asNew.status).toBe(200);
    });
  });
});

/** A JWT claiming to be a member with `alg: none`: must never be accepted. */
function unsignedJwt(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub, iss: "perkwise", aud: "perkwise-member" })}.`;
}

function otherSecret(): string {
  return `whsec_${Buffer.from("another-provider-secret-32-bytes").toString("base64")}`;
}
