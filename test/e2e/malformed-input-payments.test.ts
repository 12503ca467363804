/**
 * Hostile payment events: unsigned, mis-signed, stale, oversized, malformed once signed, or holding
 * injection strings and unstorable characters. Always a 4xx with a code from the closed list in the
 * documented shape, never a 5xx, and nothing recorded that should not be.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT_SECRET } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected, expectSafe } from "./support/error-responses.js";
import { INJECTIONS } from "./support/hostile-strings.js";
import { MalformedInputServer } from "./support/malformed-input-server.js";

describe.each(TEST_ENGINES)("malformed input: payment events ($name)", (engine) => {
  const s = new MalformedInputServer();
  beforeAll(() => s.start(engine));
  afterAll(() => s.stop());

  it("unsigned, mis-signed and stale events: 4xx, nothing recorded", async () => {
    const raw = JSON.stringify({
      type: "payment.succeeded",
      data: { orderId: s.paidOrder.orderId, amount: s.paidOrder.amount },
    });
    const now = Math.floor(s.server.clock.now() / 1000);
    const sign = (id: string, ts: number, body = raw) =>
      new Webhook(PAYMENT_SECRET).sign(id, new Date(ts * 1000), body);
    await s.writesNothing(async () => {
      const cases: [string, Record<string, string>, string][] = [
        ["no headers", {}, "INVALID_SIGNATURE"],
        [
          "garbage signature",
          { "webhook-id": "m1", "webhook-timestamp": `${now}`, "webhook-signature": "x" },
          "INVALID_SIGNATURE",
        ],
        [
          "long id",
          {
            "webhook-id": "m".repeat(300),
            "webhook-timestamp": `${now}`,
            "webhook-signature": sign("m".repeat(300), now),
          },
          "INVALID_SIGNATURE",
        ],
        [
          "text timestamp",
          { "webhook-id": "m2", "webhook-timestamp": "now", "webhook-signature": sign("m2", now) },
          "TIMESTAMP_OUT_OF_TOLERANCE",
        ],
        [
          "negative timestamp",
          { "webhook-id": "m3", "webhook-timestamp": "-1", "webhook-signature": sign("m3", now) },
          "TIMESTAMP_OUT_OF_TOLERANCE",
        ],
        [
          "stale",
          {
            "webhook-id": "m4",
            "webhook-timestamp": `${now - 301}`,
            "webhook-signature": sign("m4", now - 301),
          },
          "TIMESTAMP_OUT_OF_TOLERANCE",
        ],
        [
          "future",
          {
            "webhook-id": "m5",
            "webhook-timestamp": `${now + 301}`,
            "webhook-signature": sign("m5", now + 301),
          },
          "TIMESTAMP_OUT_OF_TOLERANCE",
        ],
        [
          "huge timestamp",
          { "webhook-id": "m6", "webhook-timestamp": "999999999999", "webhook-signature": sign("m6", now) },
          "TIMESTAMP_OUT_OF_TOLERANCE",
        ],
        [
          "injection id",
          {
            "webhook-id": "'; DROP TABLE payment_events; --",
            "webhook-timestamp": `${now}`,
            "webhook-signature": "v1,AAAA",
          },
          "INVALID_SIGNATURE",
        ],
      ];
      for (const [label, headers, code] of cases) {
        const res = await s.request("POST", "/v1/payments/events", { raw, auth: null, headers });
        expectRejected(res, [code], label);
      }
      const huge = `{"padding":"${"x".repeat(1024 * 1024)}"}`;
      const big = await s.request("POST", "/v1/payments/events", {
        raw: huge,
        auth: null,
        headers: {
          "webhook-id": "m7",
          "webhook-timestamp": `${now}`,
          "webhook-signature": sign("m7", now, huge),
        },
      });
      expectRejected(big, ["PAYLOAD_TOO_LARGE"], "huge");
    });
  });

  it("signed but malformed events: 400 naming the problem, nothing recorded", async () => {
    const bodies = [
      "{",
      "",
      "null",
      "[]",
      '"payment.succeeded"',
      JSON.stringify({ type: "payment.succeeded" }),
      JSON.stringify({ type: "payment.stolen", data: { orderId: s.paidOrder.orderId, amount: 1 } }),
      JSON.stringify({ type: "payment.succeeded", data: { orderId: s.paidOrder.orderId, amount: "1500" } }),
      JSON.stringify({ type: "payment.succeeded", data: { orderId: s.paidOrder.orderId, amount: -1 } }),
      JSON.stringify({ type: "payment.succeeded", data: { orderId: s.paidOrder.orderId, amount: 1.5 } }),
      JSON.stringify({ type: "payment.succeeded", data: { orderId: "", amount: 1500 } }),
      JSON.stringify({ type: "payment.succeeded", data: { orderId: "o".repeat(129), amount: 1500 } }),
      JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: s.paidOrder.orderId, amount: 1500, paidAt: "yesterday!" },
      }),
      JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: s.paidOrder.orderId, amount: 1500, extra: 1 },
      }),
      JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: s.paidOrder.orderId, amount: 1500 },
        extra: 1,
      }),
      '{"__proto__": {"polluted": true}, "type": "payment.succeeded"}',
    ];
    await s.writesNothing(async () => {
      for (const raw of bodies) {
        expectRejected(await s.postSigned(raw), ["MALFORMED_BODY", "VALIDATION_FAILED"], raw.slice(0, 80));
      }
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("signed events with injection strings as order ids: a 4xx, no grant", async () => {
    for (const id of INJECTIONS.filter((x) => x.length <= 128)) {
      const before = await s.counts();
      const raw = JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: id, amount: 1500, providerRef: id },
      });
      const res = await s.postSigned(raw);
      expectSafe(res, JSON.stringify(id));
      expect(res.status).toBeGreaterThanOrEqual(400);
      const after = await s.counts();
      // An unknown order is recorded (404), by design; nothing else moves.
      expect({ ...after, payment_events: 0 }).toEqual({ ...before, payment_events: 0 });
    }
  });

  it("an unpaired surrogate in a signed event: 400, nothing recorded", async () => {
    for (const field of ["orderId", "providerRef"]) {
      const data = { orderId: s.paidOrder.orderId, amount: s.paidOrder.amount, [field]: "x\ud800" };
      const res = await s.writesNothing(() =>
        s.postSigned(JSON.stringify({ type: "payment.refunded", data })),
      );
      expectRejected(res, ["VALIDATION_FAILED"], field);
    }
  });
});
