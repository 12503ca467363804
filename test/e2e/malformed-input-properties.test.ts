/**
 * Property tests: random path ids, random bodies and random payment events never make a 5xx; any
 * error is documented and from the closed list, and a refused request writes nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  anyJson,
  anythingText,
  asJsonText,
  idLike,
  idLikeOf,
  jsonWith,
  pathsOf,
  RUNS,
  setAt,
  storableString,
} from "./support/arbitraries.js";
import { expectRejected, expectSafe } from "./support/error-responses.js";
import { encodePath, UNPAIRED_SURROGATE } from "./support/hostile-strings.js";
import { MalformedInputServer } from "./support/malformed-input-server.js";
import { ALICE, PARAM_ROUTES } from "./support/malformed-routes.js";

describe.each(TEST_ENGINES)("malformed input: properties ($name)", (engine) => {
  const s = new MalformedInputServer();
  beforeAll(() => s.start(engine));
  afterAll(() => s.stop());

  it("random path ids never make a 5xx (property)", async () => {
    await fc.assert(
      fc.asyncProperty(idLike, fc.constantFrom(...PARAM_ROUTES), async (id, route) => {
        const path = route.path(encodePath(id));
        const before = await s.counts();
        const res = await s.request(route.method, path, { body: route.body, auth: s.authForPath(path) });
        expectSafe(res, path.slice(0, 80));
        if (res.status >= 400) expect(await s.counts()).toEqual(before);
      }),
      RUNS,
    );
  });

  describe("payments", () => {
    it("unsigned random bodies and headers: 400/401, nothing recorded (property)", async () => {
      const header = fc.string({ unit: "grapheme-ascii", maxLength: 60 });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(asJsonText(anyJson), anythingText),
          fc.record(
            { "webhook-id": header, "webhook-timestamp": header, "webhook-signature": header },
            { requiredKeys: [] },
          ),
          async (raw, headers) => {
            const before = await s.counts();
            const res = await s.request("POST", "/v1/payments/events", { raw, auth: null, headers });
            expectRejected(res, ["INVALID_SIGNATURE", "TIMESTAMP_OUT_OF_TOLERANCE"], raw.slice(0, 80));
            expect(await s.counts()).toEqual(before);
          },
        ),
        RUNS,
      );
    });

    it("signed random bodies: never a 5xx, a 400 writes nothing (property)", async () => {
      const storableId = idLikeOf(storableString).filter((x) => !UNPAIRED_SURROGATE.test(x));
      const eventish = fc.record(
        {
          type: fc.oneof(fc.constantFrom("payment.succeeded", "payment.refunded"), fc.jsonValue()),
          data: fc.oneof(
            fc.record(
              {
                orderId: fc.oneof(fc.constant(s.paidOrder.orderId), storableId, fc.jsonValue()),
                amount: fc.oneof(fc.constant(s.paidOrder.amount), fc.integer(), fc.double(), fc.jsonValue()),
                paidAt: fc.oneof(
                  fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
                  storableId,
                ),
                providerRef: storableId,
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(asJsonText(eventish), asJsonText(jsonWith(storableString)), anythingText),
          async (raw) => {
            const before = await s.counts();
            const res = await s.postSigned(raw);
            expectSafe(res, raw.slice(0, 120));
            if (res.status === 400) expect(await s.counts()).toEqual(before);
          },
        ),
        RUNS,
      );
    });
  });

  describe("random bodies never make a 5xx, and a 4xx writes nothing (property)", () => {
    async function property(method: string, path: string, raw: string, auth = ADMIN_KEY) {
      const before = await s.counts();
      const res = await s.request(method, path, { raw, auth });
      expectSafe(res, raw.slice(0, 120));
      if (res.status >= 400) expect(await s.counts()).toEqual(before);
    }
    /** The property on `method path`, for bodies of the `shaped` kinds, random JSON and anything. */
    const randomBodies = (method: string, path: string, ...shaped: fc.Arbitrary<string>[]) =>
      fc.assert(
        fc.asyncProperty(fc.oneof(...shaped, asJsonText(anyJson), anythingText), (raw) =>
          property(method, path, raw),
        ),
        RUNS,
      );

    it("PUT /v1/catalog: random JSON, anything, and the demo catalog with one field replaced", async () => {
      const replaced = fc.tuple(fc.constantFrom(...pathsOf(DEMO_CATALOG)), anyJson);
      await randomBodies(
        "PUT",
        "/v1/catalog",
        replaced.map(([path, value]) => JSON.stringify(setAt(DEMO_CATALOG, path, value))),
      );
    });

    const checkBody = fc.record(
      {
        memberId: fc.oneof(fc.constant(ALICE), idLike, fc.jsonValue()),
        benefit: fc.oneof(
          fc.constantFrom("ad_free", "cloud_storage", "member_discount"),
          idLike,
          fc.jsonValue(),
        ),
        context: anyJson,
      },
      { requiredKeys: [] },
    );

    it("POST /v1/check", async () => {
      await randomBodies("POST", "/v1/check", asJsonText(checkBody));
    });

    it("POST /v1/check/batch", async () => {
      await randomBodies(
        "POST",
        "/v1/check/batch",
        fc.array(checkBody, { maxLength: 5 }).map((checks) => JSON.stringify({ checks })),
        anyJson.map((v) => JSON.stringify({ checks: v })),
      );
    });

    it("POST /v1/orders", async () => {
      const order = fc.record(
        {
          memberId: fc.oneof(fc.constant(ALICE), idLike, fc.jsonValue()),
          plan: fc.oneof(fc.constantFrom("vip_month", "svip_year"), idLike, fc.jsonValue()),
          channel: fc.oneof(fc.constantFrom("official_app", "partner:x"), idLike, fc.jsonValue()),
        },
        { requiredKeys: [] },
      );
      await randomBodies("POST", "/v1/orders", asJsonText(order));
    });

    it("PUT /v1/members/{id}: random ids and bodies", async () => {
      const member = fc.record(
        {
          displayName: fc.oneof(fc.string({ unit: "binary", maxLength: 250 }), fc.jsonValue()),
          locale: fc.oneof(fc.constantFrom("en", "zh-CN", null), fc.jsonValue()),
          timezone: fc.oneof(
            fc.constantFrom("Asia/Shanghai", "UTC", "Europe/Berlin"),
            idLike,
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(idLike, fc.oneof(asJsonText(member), asJsonText(anyJson), anythingText), (id, raw) =>
          property("PUT", `/v1/members/${encodePath(id)}`, raw),
        ),
        RUNS,
      );
    });

    it("the member's own routes (/v1/me/check, toggle)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            ["POST", "/v1/me/check"],
            ["PUT", "/v1/me/benefits/hd_download_boost/toggle"],
            ["PUT", `/v1/members/${ALICE}/benefits/hd_download_boost/toggle`],
          ),
          fc.oneof(asJsonText(anyJson), anythingText),
          ([method, path], raw) => property(method, path, raw, s.authForPath(path)),
        ),
        RUNS,
      );
    });
  });
});
