/**
 * The authorization matrix: every endpoint × every kind of caller (the table is in
 * support/auth-endpoints.ts), and /v1/me acting on the token's own member only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../test-database.js";
import { allowed, ENDPOINTS, PRINCIPALS } from "./support/auth-endpoints.js";
import { AuthMatrixServer } from "./support/auth-matrix-server.js";
import { expectErrorShape, expectRefusedCredentials } from "./support/error-responses.js";

describe.each(TEST_ENGINES)("authorization matrix ($name)", (engine) => {
  const f = new AuthMatrixServer();
  beforeAll(() => f.start(engine));
  afterAll(() => f.stop());

  it("the table lists every route the server documents", async () => {
    const res = await f.request("GET", "/openapi.json", { auth: null });
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
      const res = await f.call(endpoint, principal);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      if (!allowed(endpoint, principal)) {
        if (principal === "none") expectErrorShape(res, 401, "UNAUTHENTICATED");
        else if (principal === "garbage") expectRefusedCredentials(res, "invalid");
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

  describe("/v1/me acts on the token's member only", () => {
    it("a token for B reads B's entitlements, never A's", async () => {
      const asA = await f.request("GET", "/v1/me/entitlements", { auth: f.secrets.member_self });
      const asB = await f.request("GET", "/v1/me/entitlements", { auth: f.secrets.member_other });
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
      const asB = await f.request("POST", "/v1/me/check", {
        auth: f.secrets.member_other,
        body: { benefit: "ad_free" },
      });
      expect(asB.status).toBe(200);
      expect(asB.body.memberId).toBe(f.memberB);
      expect(asB.body.allowed).toBe(false);
      const smuggled = await f.request("POST", "/v1/me/check", {
        auth: f.secrets.member_other,
        body: { benefit: "ad_free", memberId: f.memberA },
      });
      expect(smuggled.status).toBe(400);
      expect(smuggled.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("a token for B cannot claim or toggle A's benefits, and A's grants stay untouched", async () => {
      const before = await f.request("GET", `/v1/members/${f.memberA}`, { auth: f.secrets.support });
      const claim = await f.request("POST", "/v1/me/benefits/monthly_gift/claim", {
        auth: f.secrets.member_other,
      });
      expect(claim.status).toBe(409);
      expect(claim.body.error.code).toBe("BENEFIT_NOT_GRANTED");
      const toggle = await f.request("PUT", "/v1/me/benefits/hd_download_boost/toggle", {
        auth: f.secrets.member_other,
        body: { on: false },
      });
      expect(toggle.status).toBe(409);
      const after = await f.request("GET", `/v1/members/${f.memberA}`, { auth: f.secrets.support });
      expect(after.body.grants).toEqual(before.body.grants);
    });

    it("a token for B can neither see, nor ask a code for, nor verify A's hold", async () => {
      const mine = await f.request("GET", "/v1/me/holds", { auth: f.secrets.member_other });
      expect(mine.body.holds.map((h: { holdId: string }) => h.holdId)).not.toContain(f.holdA);
      const asB = { auth: f.secrets.member_other };
      expectErrorShape(
        await f.request("POST", `/v1/me/holds/${f.holdA}/verification`, asB),
        404,
        "HOLD_NOT_FOUND",
      );
      const verify = await f.request("POST", `/v1/me/holds/${f.holdA}/verify`, {
        ...asB,
        body: { code: "123456" },
      });
      expectErrorShape(verify, 404, "HOLD_NOT_FOUND");
      const hold = await f.request("GET", `/v1/holds/${f.holdA}`, { auth: f.secrets.support });
      expect(hold.body.status).toBe("open");
      expect(hold.body.events.every((e: { actor: string }) => !e.actor.includes(f.memberB))).toBe(true);
    });

    it("a member token is refused on the same member's non-/me routes", async () => {
      for (const [method, path] of [
        ["GET", `/v1/members/${f.memberA}`],
        ["GET", `/v1/members/${f.memberA}/entitlements`],
        ["POST", `/v1/members/${f.memberA}/token`],
        ["GET", `/v1/holds/${f.holdA}`],
        ["POST", `/v1/holds/${f.holdA}/clear`],
      ] as const) {
        const res = await f.request(method, path, { auth: f.secrets.member_self });
        expectErrorShape(res, 403, "FORBIDDEN");
      }
    });
  });
});
