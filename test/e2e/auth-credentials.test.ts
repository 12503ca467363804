/**
 * Credentials: malformed, forged, tampered and expired bearers are a 401; payment events are
 * authenticated by their Standard Webhooks signature alone; API key secrets are shown once and
 * stored hashed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { PRINCIPALS } from "./support/auth-endpoints.js";
import { AuthMatrixServer, unsignedJwt } from "./support/auth-matrix-server.js";
import { expectErrorShape, expectRefusedCredentials } from "./support/error-responses.js";
import { otherSecret, signedHeaders } from "./support/payment-signing.js";

describe.each(TEST_ENGINES)("credentials ($name)", (engine) => {
  const f = new AuthMatrixServer();
  beforeAll(() => f.start(engine));
  afterAll(() => f.stop());

  /** Asserts `token` opens /v1/me two minutes from now no more, then puts the clock back. */
  async function expectRefusedTwoMinutesLater(token: string) {
    const start = f.server.clock.now();
    try {
      f.server.clock.advance(120_000);
      const res = await f.request("GET", "/v1/me/entitlements", { auth: token });
      expectRefusedCredentials(res, "expired");
      // The message says when, in the language the rule picks (no Accept-Language: zh-CN).
      const expiredAt = res.body.error.details[0].expiredAt;
      expect(res.body.error.message).toBe(`会员令牌已于 ${expiredAt} 过期，请向平台重新获取。`);
    } finally {
      f.server.clock.set(start);
    }
  }

  it("the Bearer scheme is case-insensitive and may be followed by several spaces (RFC 7235)", async () => {
    for (const scheme of ["bearer", "BEARER", "BeArEr", "Bearer "]) {
      const res = await f.request("GET", "/v1/catalog", {
        auth: null,
        headers: { authorization: `${scheme} ${ADMIN_KEY}` },
      });
      expect(res.status, scheme).toBe(200);
    }
    const member = await f.request("GET", "/v1/me/entitlements", {
      auth: null,
      headers: { authorization: `bearer ${f.secrets.member_self}` },
    });
    expect(member.status).toBe(200);
  });

  describe("Authorization headers that carry no bearer are 401 with what to send, never 403 or 5xx", () => {
    const variants: [string, Record<string, string>][] = [
      ["Basic scheme", { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString("base64")}` }],
      ["bare key", { authorization: ADMIN_KEY }],
      ["empty bearer", { authorization: "Bearer " }],
      ["two secrets", { authorization: `Bearer ${ADMIN_KEY} ${ADMIN_KEY}` }],
      ["very long bearer", { authorization: `Bearer ${"x".repeat(5000)}` }],
    ];
    it.each(variants)("%s", async (_name, headers) => {
      for (const path of ["/v1/catalog", "/v1/me/entitlements"]) {
        const res = await f.request("GET", path, { auth: null, headers });
        expectErrorShape(res, 401, "UNAUTHENTICATED");
        expect(res.body.error.message).toBe(
          "请发送 Authorization: Bearer <管理员密钥、API 密钥或会员令牌>。",
        );
      }
    });
  });

  describe("credentials sent and refused are 401 with details.reason", () => {
    const variants: [string, string][] = [
      ["admin key with a suffix", `${ADMIN_KEY}x`],
      ["admin key prefix", ADMIN_KEY.slice(0, -1)],
      ["forged API key", `pwk_0123456789abcdef.${"A".repeat(43)}`],
      ["JWT with alg none", unsignedJwt("auth-alice")],
    ];
    it.each(variants)("%s", async (_name, secret) => {
      for (const path of ["/v1/catalog", "/v1/me/entitlements"]) {
        expectRefusedCredentials(await f.request("GET", path, { auth: secret }), "invalid");
      }
    });

    it("a service key with its secret part altered is refused", async () => {
      const key = f.secrets.service as string;
      const tampered = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
      expectRefusedCredentials(await f.request("GET", "/v1/catalog", { auth: tampered }), "invalid");
    });

    it("a member token signed with another secret is refused as invalid, even when it is also expired", async () => {
      const token = f.secrets.member_self as string;
      const [header, payload] = token.split(".");
      const forged = `${header}.${payload}.${Buffer.from("x".repeat(32)).toString("base64url")}`;
      const res = await f.request("GET", "/v1/me/entitlements", {
        auth: forged,
        headers: { "accept-language": "en" },
      });
      expectRefusedCredentials(res, "invalid");
      expect(res.body.error.message).toBe(
        "The credentials are not valid (unknown, revoked or forged): Authorization: Bearer <admin key, API key or member token>.",
      );
      // Forged and past its expiry: the signature is checked first, so a forger learns nothing.
      const start = f.server.clock.now();
      try {
        f.server.clock.advance(365 * 24 * 3600 * 1000);
        expectRefusedCredentials(await f.request("GET", "/v1/me/entitlements", { auth: forged }), "invalid");
      } finally {
        f.server.clock.set(start);
      }
    });

    it('an expired member token is refused with reason "expired"', async () => {
      const res = await f.request("POST", `/v1/members/${f.memberB}/token`, { body: { ttlSeconds: 60 } });
      expect(res.status).toBe(200);
      await expectRefusedTwoMinutesLater(res.body.token);
    });
  });

  // A token accepted once is remembered, but never past its own expiry.
  it("a member token used before it expired is refused after", async () => {
    const res = await f.request("POST", `/v1/members/${f.memberB}/token`, { body: { ttlSeconds: 60 } });
    expect((await f.request("GET", "/v1/me/entitlements", { auth: res.body.token })).status).toBe(200);
    await expectRefusedTwoMinutesLater(res.body.token);
  });

  describe("payments are authenticated by their signature, not by a bearer", () => {
    const event = () => ({
      type: "payment.succeeded",
      data: { orderId: f.orderA.orderId, amount: f.orderA.amount },
    });

    it.each(PRINCIPALS)("unsigned, with bearer %s: 401 INVALID_SIGNATURE", async (principal) => {
      const res = await f.request("POST", "/v1/payments/events", {
        raw: JSON.stringify(event()),
        auth: f.secrets[principal],
      });
      expectErrorShape(res, 401, "INVALID_SIGNATURE");
    });

    it.each([
      [
        "another secret",
        (raw: string, id: string) => signedHeaders(raw, f.server.clock.now(), id, otherSecret()),
      ],
      [
        "signature of another body",
        (raw: string, id: string) => signedHeaders(`${raw} `, f.server.clock.now(), id),
      ],
      [
        "signature for another webhook-id",
        (raw: string, id: string) => ({
          ...signedHeaders(raw, f.server.clock.now(), `${id}x`),
          "webhook-id": id,
        }),
      ],
      ["the admin key as signature", (_raw: string, id: string) => signatureHeader(id, `v1,${ADMIN_KEY}`)],
      ["v1a scheme", (_raw: string, id: string) => signatureHeader(id, `v1a,${"A".repeat(44)}`)],
      ["empty signature", (_raw: string, id: string) => signatureHeader(id, "")],
    ])("bad signature (%s): 401 INVALID_SIGNATURE, nothing recorded", async (_name, headersFor) => {
      const raw = JSON.stringify(event());
      const id = f.nextWebhookId("msg_bad_");
      const res = await f.request("POST", "/v1/payments/events", {
        raw,
        auth: ADMIN_KEY,
        headers: headersFor(raw, id),
      });
      expectErrorShape(res, 401, "INVALID_SIGNATURE");
      const stored = await f.server.database.db
        .selectFrom("payment_events")
        .select("webhook_id")
        .where("webhook_id", "=", id)
        .execute();
      expect(stored).toEqual([]);
    });

    function signatureHeader(id: string, signature: string) {
      return {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(f.server.clock.now() / 1000)),
        "webhook-signature": signature,
      };
    }
  });

  describe("API key secrets", () => {
    it("are stored hashed: no key, nor its secret part, appears in the api_keys table", async () => {
      const rows = await f.server.database.db.selectFrom("api_keys").selectAll().execute();
      expect(rows.length).toBeGreaterThanOrEqual(f.createdKeys.length);
      const dump = JSON.stringify(rows);
      for (const key of f.createdKeys) {
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(key.split(".")[1]);
      }
      for (const row of rows) expect(row.secret_hash).not.toMatch(/^pwk_/);
    });

    it("are shown once on creation and never by GET /v1/api-keys", async () => {
      const created = await f.request("POST", "/v1/api-keys", {
        body: { name: "once", role: "service" },
      });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^pwk_/);
      f.createdKeys.push(created.body.key);
      const list = await f.request("GET", "/v1/api-keys");
      expect(list.status).toBe(200);
      expect(list.body.keys.length).toBeGreaterThanOrEqual(f.createdKeys.length);
      const dump = JSON.stringify(list.body);
      for (const key of f.createdKeys) {
        expect(dump).not.toContain(key);
        expect(dump).not.toContain(key.split(".")[1]);
      }
      for (const k of list.body.keys) {
        expect(Object.keys(k).sort()).toEqual([
          "createdAt",
          "expiresAt",
          "id",
          "lastUsedAt",
          "name",
          "previousSecretValidUntil",
          "revokedAt",
          "role",
        ]);
      }
      // The new key works at once, with its role.
      const asNew = await f.request("GET", "/v1/catalog", { auth: created.body.key });
      expect(asNew.status).toBe(200);
    });
  });
});
