import { AlipaySdk } from "alipay-sdk";
import { describe, expect, it } from "vitest";
import { AlipaySimulator, rsaKeyPair } from "../../test/support/alipay-simulator.js";
import { alipayConfig } from "../config.js";
import { AlipayAdapter } from "./alipay-adapter.js";
import type { AdapterVerdict } from "./provider-adapter.js";

const sim = new AlipaySimulator();
const adapter = new AlipayAdapter(sim.config());
const FORM = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
const sdk = new AlipaySdk({
  appId: sim.appId,
  privateKey: sim.appKeys.privateKey,
  alipayPublicKey: sim.alipayKeys.publicKey,
});
/** What Alipay's own SDK says of a body: checkNotifySignV2 over the form parsed once. */
const sdkVerifies = (body: string) => sdk.checkNotifySignV2(Object.fromEntries(new URLSearchParams(body)));

const paid = { orderId: "ord_alipay_1", status: "TRADE_SUCCESS", totalAmount: "19.90" } as const;
const translated = (verdict: AdapterVerdict) => {
  if (verdict.kind !== "translated") throw new Error(`not translated: ${JSON.stringify(verdict)}`);
  return verdict.translated;
};
const refusedCode = (verdict: AdapterVerdict) => (verdict.kind === "refused" ? verdict.code : verdict.kind);

describe("the Alipay simulator signs as Alipay does: alipay-sdk verifies it", () => {
  it("checkNotifySignV2 accepts the simulator's notification", () => {
    expect(sdkVerifies(sim.body(paid))).toBe(true);
  });

  it("and refuses it tampered, or signed with another key", () => {
    const tampered = sim.body(paid).replace("total_amount=19.90", "total_amount=0.01");
    expect(tampered).not.toBe(sim.body(paid));
    expect(sdkVerifies(tampered)).toBe(false);
    expect(sdkVerifies(sim.body(paid, sim.strangerKeys.privateKey))).toBe(false);
    // Our own application's key is not Alipay's (alipay-sdk#5).
    expect(sdkVerifies(sim.body(paid, sim.appKeys.privateKey))).toBe(false);
  });

  it("a % in passback_params: V2 verifies, the legacy double-decoding check does not", () => {
    const body = sim.body({ ...paid, extra: { passback_params: "coupon%3D50%25off&x=100%" } });
    const params = Object.fromEntries(new URLSearchParams(body));
    expect(params.passback_params).toBe("coupon%3D50%25off&x=100%");
    expect(sdk.checkNotifySignV2(params)).toBe(true);
    let legacy: boolean;
    try {
      legacy = sdk.checkNotifySign(params);
    } catch {
      legacy = false; // decodeURIComponent throws on a lone %
    }
    expect(legacy).toBe(false);
  });
});

describe("AlipayAdapter.translate", () => {
  it("TRADE_SUCCESS → payment.succeeded in fen, paid at Beijing time, keyed by trade and state", () => {
    const t = translated(adapter.translate(sim.body(paid), FORM));
    expect(t.key).toMatch(/^alipay:\d{28}:succeeded$/);
    expect(t.event).toEqual({
      type: "payment.succeeded",
      orderId: "ord_alipay_1",
      providerRef: expect.stringMatching(/^\d{28}$/),
      amount: { amount: 1990, currency: "CNY" },
      paidAt: "2026-11-24T10:00:05+08:00",
    });
    expect(t.notification).toMatchObject({
      provider: "alipay",
      body: sim.body(paid),
      headers: FORM,
      verification: { verified: true, method: expect.stringContaining("checkNotifySignV2") },
    });
  });

  it("TRADE_FINISHED after TRADE_SUCCESS is the same payment (the same key)", () => {
    const success = translated(adapter.translate(sim.body(paid), FORM));
    const finished = translated(adapter.translate(sim.body({ ...paid, status: "TRADE_FINISHED" }), FORM));
    expect(finished.key).toBe(success.key);
    expect(finished.event.type).toBe("payment.succeeded");
  });

  it("refund_fee on TRADE_SUCCESS → a cumulative partial refund, keyed by the amount", () => {
    const t = translated(adapter.translate(sim.body({ ...paid, refundFee: "5.00" }), FORM));
    expect(t.key).toMatch(/:refunded:500$/);
    expect(t.event).toMatchObject({
      type: "payment.refunded",
      amount: { amount: 500, currency: "CNY" },
      full: false,
    });
  });

  it("TRADE_CLOSED after payment → a full refund; before payment → the order closes", () => {
    const refunded = translated(
      adapter.translate(sim.body({ ...paid, status: "TRADE_CLOSED", refundFee: "19.90" }), FORM),
    );
    expect(refunded.event).toMatchObject({ type: "payment.refunded", amount: { amount: 1990 }, full: true });
    const closed = translated(
      adapter.translate(sim.body({ ...paid, status: "TRADE_CLOSED", gmtPayment: null }), FORM),
    );
    expect(closed.key).toMatch(/:closed$/);
    expect(closed.event).toEqual({
      type: "payment.closed",
      orderId: paid.orderId,
      providerRef: expect.any(String),
    });
  });

  it("WAIT_BUYER_PAY is acknowledged with nothing to apply", () => {
    expect(adapter.translate(sim.body({ ...paid, status: "WAIT_BUYER_PAY" }), FORM).kind).toBe("ignored");
  });

  it.each([
    ["tampered amount", sim.body(paid).replace("19.90", "1.99"), "INVALID_SIGNATURE"],
    ["a stranger's key", sim.body(paid, sim.strangerKeys.privateKey), "INVALID_SIGNATURE"],
    ["no sign", new URLSearchParams(sim.fields(paid)).toString(), "INVALID_SIGNATURE"],
    ["garbage sign", `${new URLSearchParams(sim.fields(paid))}&sign_type=RSA2&sign=%%%`, "INVALID_SIGNATURE"],
    ["another app", sim.body({ ...paid, extra: { app_id: "2021000000009999" } }), "VALIDATION_FAILED"],
    ["another seller", sim.body({ ...paid, extra: { seller_id: "2088000000009999" } }), "VALIDATION_FAILED"],
    ["three decimals", sim.body({ ...paid, totalAmount: "19.901" }), "VALIDATION_FAILED"],
    ["a negative amount", sim.body({ ...paid, totalAmount: "-1" }), "VALIDATION_FAILED"],
    ["an exponent", sim.body({ ...paid, totalAmount: "1e3" }), "VALIDATION_FAILED"],
    ["an unknown status", sim.body({ ...paid, status: "TRADE_PENDING" }), "VALIDATION_FAILED"],
    ["an odd order id", sim.body({ ...paid, orderId: "ord 1'; --" }), "VALIDATION_FAILED"],
    ["U+0000 in a field", sim.body({ ...paid, extra: { body: "a\u0000b" } }), "VALIDATION_FAILED"],
    ["GBK", sim.body({ ...paid, extra: { charset: "GBK" } }), "VALIDATION_FAILED"],
    ["a field twice", `${sim.body(paid)}&total_amount=0.01`, "VALIDATION_FAILED"],
    // The SDK leaves a nameless field out of the signed string: it would ride along unsigned.
    ["a nameless field", `${sim.body(paid)}&=x`, "VALIDATION_FAILED"],
    ["empty", "", "INVALID_SIGNATURE"],
  ])("refuses %s", (_name, body, code) => {
    expect(refusedCode(adapter.translate(body, FORM))).toBe(code);
  });

  it("refuses RSA (sign_type other than RSA2) and a body that is not form-encoded", () => {
    const rsa = new URLSearchParams({ ...sim.signed(sim.fields(paid)), sign_type: "RSA" }).toString();
    expect(refusedCode(adapter.translate(rsa, FORM))).toBe("VALIDATION_FAILED");
    expect(refusedCode(adapter.translate(sim.body(paid), { "content-type": "application/json" }))).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("works with a PKCS#8 application key too", () => {
    const pkcs8 = new AlipayAdapter({ ...sim.config(), privateKey: rsaKeyPair("pkcs8").privateKey });
    expect(pkcs8.translate(sim.body(paid), FORM).kind).toBe("translated");
  });
});

describe("alipayConfig: PERKWISE_ALIPAY_* from the environment", () => {
  it("reads the ids and both keys from their files; the gateway has a default", () => {
    const config = alipayConfig(sim.environment());
    expect(config).toEqual({
      appId: sim.appId,
      sellerId: sim.sellerId,
      alipayPublicKey: sim.alipayKeys.publicKey.trim(),
      privateKey: sim.appKeys.privateKey.trim(),
      gateway: "https://openapi.alipay.com/gateway.do",
    });
    expect(
      alipayConfig({ ...sim.environment(), PERKWISE_ALIPAY_GATEWAY: "http://127.0.0.1:1/gw" })?.gateway,
    ).toBe("http://127.0.0.1:1/gw");
  });

  it("none set: not configured; some set: a start-up error naming the rest; a missing file: an error", () => {
    expect(alipayConfig({})).toBeUndefined();
    expect(() => alipayConfig({ PERKWISE_ALIPAY_APP_ID: sim.appId })).toThrow(
      /PERKWISE_ALIPAY_SELLER_ID, PERKWISE_ALIPAY_PUBLIC_KEY_FILE, PERKWISE_ALIPAY_PRIVATE_KEY_FILE/,
    );
    expect(() =>
      alipayConfig({ ...sim.environment(), PERKWISE_ALIPAY_PUBLIC_KEY_FILE: "/nonexistent.pem" }),
    ).toThrow(/does not exist/);
  });
});
