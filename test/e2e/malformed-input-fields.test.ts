/**
 * Bodies that parse but break the schema: unknown, missing and wrongly typed fields, hostile ids and
 * codes, unstorable characters, dates that are not ISO-8601. Always a 400 naming the problem, never a
 * 5xx, and nothing written; free text, by contrast, is stored verbatim.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";
import { INJECTIONS, UNPAIRED_SURROGATE } from "./support/hostile-strings.js";
import { MalformedInputServer } from "./support/malformed-input-server.js";
import { ALICE, ENDPOINTS_WITH_BODY, ENDPOINTS_WITH_IDS } from "./support/malformed-routes.js";

describe.each(TEST_ENGINES)("malformed input: fields ($name)", (engine) => {
  const s = new MalformedInputServer();
  beforeAll(() => s.start(engine));
  afterAll(() => s.stop());

  describe.each(ENDPOINTS_WITH_BODY)("$method $path ($name)", (e) => {
    it("unknown, missing and wrongly typed fields: 400 naming them, nothing written", async () => {
      const valid = e.valid();
      await s.writesNothing(async () => {
        const unknown = await s.request(e.method, e.path, {
          body: { ...valid, zzUnknown: 1 },
          auth: s.authOf(e),
        });
        expectRejected(unknown, ["VALIDATION_FAILED"], "unknown");
        expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toContain("/zzUnknown");
        if (e.missing) {
          expectRejected(
            await s.request(e.method, e.path, { body: e.missing, auth: s.authOf(e) }),
            ["VALIDATION_FAILED"],
            "missing",
          );
        }
        for (const body of e.wrongTypes ?? []) {
          expectRejected(
            await s.request(e.method, e.path, { body, auth: s.authOf(e) }),
            ["VALIDATION_FAILED"],
            JSON.stringify(body).slice(0, 100),
          );
        }
        // YAML is accepted wherever JSON is, and refused the same way.
        const yaml = await s.send(e, "zzUnknown: 1\n", { "content-type": "application/yaml" });
        expectRejected(yaml, ["VALIDATION_FAILED"], "yaml");
        const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (const n of ["b", "c", "d", "e", "f", "g"]) {
          const prev = bomb.at(-1)?.[0];
          bomb.push(`${n}: &${n} [${Array(10).fill(`*${prev}`).join(", ")}]`);
        }
        expectRejected(
          await s.send(e, bomb.join("\n"), { "content-type": "application/yaml" }),
          ["MALFORMED_BODY"],
          "yaml bomb",
        );
      });
    });

    it("U+0000 and unpaired surrogates in any string: 400 naming the field", async () => {
      await s.writesNothing(async () => {
        for (const bad of ["a\u0000b", "\udc00", "x\ud83d"]) {
          const body = { ...e.valid(), zzUnknown: bad };
          const res = await s.request(e.method, e.path, { body, auth: s.authOf(e) });
          expectRejected(res, ["VALIDATION_FAILED"], JSON.stringify(bad));
          expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("/zzUnknown");
        }
      });
    });
  });

  describe.each(ENDPOINTS_WITH_IDS)("$method $path ($name)", (e) => {
    it("injection strings in ids and codes: 400, nothing written", async () => {
      await s.writesNothing(async () => {
        for (const str of INJECTIONS) {
          for (const body of e.inject(str)) {
            const res = await s.request(e.method, e.path, { body, auth: s.authOf(e) });
            expectRejected(res, ["VALIDATION_FAILED"], `${JSON.stringify(str).slice(0, 40)}`);
          }
        }
      });
    });
  });

  // Date.parse would read almost anything as a date ("%00" → 2000-01-01, "1" → 2001-01-01 in the
  // server's time zone): every date-time a client sends must be ISO-8601, or the request is refused.
  describe("dates that are not ISO-8601 date-times are refused", () => {
    it("context.at of a check", async () => {
      for (const at of ["%00", "1", "x 1", "foo 2020"]) {
        const res = await s.request("POST", "/v1/check", {
          body: { memberId: ALICE, benefit: "ad_free", context: { at } },
        });
        expectRejected(res, ["VALIDATION_FAILED"], at);
      }
    });

    it("a catalog's effectiveFrom, nothing written", async () => {
      await s.writesNothing(async () => {
        const res = await s.request("PUT", "/v1/catalog", { body: { ...DEMO_CATALOG, effectiveFrom: "1" } });
        expectRejected(res, ["VALIDATION_FAILED"]);
      });
    });

    it("a payment event's paidAt, nothing recorded", async () => {
      const order = await s.server.createOrder(ALICE, "vip_month");
      await s.writesNothing(async () => {
        const data = { orderId: order.orderId, amount: order.amount.amount, paidAt: "paid in 2020" };
        const res = await s.postSigned(JSON.stringify({ type: "payment.succeeded", data }));
        expectRejected(res, ["VALIDATION_FAILED"]);
      });
    });
  });

  describe("free text is stored verbatim, never interpreted", () => {
    it("a display name and an API key name holding injection strings round-trip unchanged", async () => {
      const texts = INJECTIONS.filter(
        (str) => !str.includes("\u0000") && !UNPAIRED_SURROGATE.test(str) && str.length <= 200 && str.trim(),
      );
      for (const [i, text] of texts.entries()) {
        const id = `mi-free-${i}`;
        const put = await s.request("PUT", `/v1/members/${id}`, { body: { displayName: text } });
        expect(put.status, JSON.stringify(put.body)).toBe(201);
        const got = await s.request("GET", `/v1/members/${id}`);
        expect(got.body.displayName).toBe(text);
        if (text.length <= 100) {
          const key = await s.request("POST", "/v1/api-keys", { body: { name: text, role: "support" } });
          expect(key.status).toBe(201);
          expect(key.body.name).toBe(text);
        }
      }
      // The tables are all still there.
      expect((await s.counts()).members).toBeGreaterThanOrEqual(texts.length + 1);
    });

    it("NUL in a display name is refused, not half-stored", async () => {
      await s.writesNothing(async () => {
        const res = await s.request("PUT", "/v1/members/mi-nul", { body: { displayName: "a\u0000b" } });
        expectRejected(res, ["VALIDATION_FAILED"]);
        expect(res.body.error.details).toEqual([{ path: "/displayName", message: expect.any(String) }]);
      });
    });
  });
});
