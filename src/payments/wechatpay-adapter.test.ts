import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import WxPay from "wechatpay-node-v3";
import { rsaKeyPair } from "../../test/support/alipay-simulator.js";
import { WechatPaySimulator } from "../../test/support/wechatpay-simulator.js";
import { wechatPayConfig } from "../config.js";
import type { AdapterVerdict } from "./provider-adapter.js";
import { WechatPayAdapter } from "./wechatpay-adapter.js";

const sim = new WechatPaySimulator();
const adapter = new WechatPayAdapter(sim.config());
const NOW = Date.parse("2026-11-24T02:00:00Z");
const paid = sim.transaction({ orderId: "ord_wx_1", total: 1500 });

/** wechatpay-node-v3, given our keys in its certificate cache (it would fetch them over the network). */
const sdk = new WxPay({
  appid: sim.appid,
  mchid: sim.mchid,
  publicKey: Buffer.from("unused: serial_no is given"),
  privateKey: Buffer.from(rsaKeyPair("pkcs8").privateKey),
  serial_no: "MERCHANT_SERIAL",
  key: sim.apiV3Key,
});
(WxPay as unknown as { certificates: Record<string, string> }).certificates = {
  [sim.publicKeyId]: sim.publicKeyPair.publicKey,
  [sim.certificateSerial]: new X509Certificate(sim.platform.certificate).publicKey.export({
    type: "spki",
    format: "pem",
  }) as string,
};
const sdkVerifies = (body: string, h: Record<string, string>) =>
  sdk.verifySign({
    timestamp: h["wechatpay-timestamp"],
    nonce: h["wechatpay-nonce"],
    body,
    serial: h["wechatpay-serial"],
    signature: h["wechatpay-signature"],
  });

const translated = (verdict: AdapterVerdict) => {
  if (verdict.kind !== "translated") throw new Error(`not translated: ${JSON.stringify(verdict)}`);
  return verdict.translated;
};
const codeOf = (verdict: AdapterVerdict) => (verdict.kind === "refused" ? verdict.code : verdict.kind);
const translate = (body: string, options = {}, now = NOW) =>
  adapter.translate(body, sim.headers(body, now, options), NOW);

describe("the WeChat Pay simulator signs and encrypts as WeChat Pay does: wechatpay-node-v3 agrees", () => {
  it("verifySign accepts its signatures, by public key id and by certificate serial", async () => {
    const body = sim.body("TRANSACTION.SUCCESS", paid);
    expect(await sdkVerifies(body, sim.headers(body, NOW))).toBe(true);
    expect(await sdkVerifies(body, sim.headers(body, NOW, { serial: sim.certificateSerial }))).toBe(true);
    expect(await sdkVerifies(`${body} `, sim.headers(body, NOW))).toBe(false);
    expect(await sdkVerifies(body, sim.headers(body, NOW, { privateKey: sim.strangerKeys.privateKey }))).toBe(
      false,
    );
  });

  it("decipher_gcm decrypts its resource", () => {
    const resource = JSON.parse(sim.body("TRANSACTION.SUCCESS", paid)).resource;
    expect(
      sdk.decipher_gcm(resource.ciphertext, resource.associated_data, resource.nonce, sim.apiV3Key),
    ).toEqual(paid);
  });

  it("decipher_gcm never checks the tag — ours does, so a forged resource is refused", () => {
    const body = JSON.parse(sim.body("TRANSACTION.SUCCESS", paid));
    const bytes = Buffer.from(body.resource.ciphertext, "base64");
    bytes[bytes.length - 1] ^= 0xff; // the last byte of the tag
    body.resource.ciphertext = bytes.toString("base64");
    const { ciphertext, associated_data, nonce } = body.resource;
    expect(sdk.decipher_gcm(ciphertext, associated_data, nonce, sim.apiV3Key)).toEqual(paid);
    const forged = JSON.stringify(body);
    expect(codeOf(translate(forged))).toBe("VALIDATION_FAILED");
  });
});

describe("WechatPayAdapter.translate", () => {
  it("TRANSACTION.SUCCESS → payment.succeeded in fen, keyed by the transaction; the decrypted resource kept", () => {
    const body = sim.body("TRANSACTION.SUCCESS", paid);
    const t = translated(translate(body));
    expect(t.key).toBe(`wechatpay:${paid.transaction_id}:succeeded`);
    expect(t.event).toEqual({
      type: "payment.succeeded",
      orderId: "ord_wx_1",
      amount: { amount: 1500, currency: "CNY" },
      providerRef: paid.transaction_id,
      paidAt: "2026-11-24T10:00:05+08:00",
    });
    expect(t.notification).toMatchObject({ provider: "wechatpay", body, decrypted: paid });
    expect(t.notification.headers["wechatpay-serial"]).toBe(sim.publicKeyId);
  });

  it("takes the platform certificate's serial as well as the public key id", () => {
    expect(translate(sim.body("TRANSACTION.SUCCESS", paid), { serial: sim.certificateSerial }).kind).toBe(
      "translated",
    );
  });

  it("REFUND.SUCCESS → this refund's part, summed on the order; ABNORMAL and CLOSED → alerts", () => {
    const refund = sim.refund({ orderId: "ord_wx_1", refundId: "50300000000001", refund: 500, total: 1500 });
    const t = translated(translate(sim.body("REFUND.SUCCESS", refund)));
    expect(t.key).toBe("wechatpay:refund:50300000000001");
    expect(t.event).toMatchObject({
      type: "payment.refunded",
      amount: { amount: 500, currency: "CNY" },
      increment: true,
    });
    for (const status of ["ABNORMAL", "CLOSED"] as const) {
      const failed = sim.refund({
        orderId: "ord_wx_1",
        refundId: "50300000000002",
        refund: 500,
        total: 1500,
        status,
      });
      expect(translated(translate(sim.body(`REFUND.${status}`, failed))).event).toMatchObject({
        type: "payment.refund_failed",
        status,
      });
    }
  });

  it("acknowledges what it does not act on: other event types, a trade not SUCCESS", () => {
    expect(translate(sim.body("TRANSACTION.CLOSED", paid)).kind).toBe("ignored");
    expect(translate(sim.body("TRANSACTION.SUCCESS", { ...paid, trade_state: "NOTPAY" })).kind).toBe(
      "ignored",
    );
  });

  it.each([
    ["an unknown serial", { serial: "PUB_KEY_ID_UNKNOWN" }, "INVALID_SIGNATURE"],
    ["a stranger's key", { privateKey: sim.strangerKeys.privateKey }, "INVALID_SIGNATURE"],
    [
      "the certificate's key under the public key id",
      { privateKey: sim.platform.privateKey },
      "INVALID_SIGNATURE",
    ],
    ["301 s stale", { timestampS: NOW / 1000 - 301 }, "TIMESTAMP_OUT_OF_TOLERANCE"],
    ["301 s ahead", { timestampS: NOW / 1000 + 301 }, "TIMESTAMP_OUT_OF_TOLERANCE"],
  ])("refuses %s", (_name, options, code) => {
    expect(codeOf(translate(sim.body("TRANSACTION.SUCCESS", paid), options))).toBe(code);
  });

  it("accepts 299 s either way", () => {
    for (const offset of [-299, 299])
      expect(translate(sim.body("TRANSACTION.SUCCESS", paid), { timestampS: NOW / 1000 + offset }).kind).toBe(
        "translated",
      );
  });

  it("refuses a tampered body, missing headers, another merchant or appid, another APIv3 key", () => {
    const body = sim.body("TRANSACTION.SUCCESS", paid);
    const headers = sim.headers(body, NOW);
    expect(
      codeOf(adapter.translate(body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCES"'), headers, NOW)),
    ).toBe("INVALID_SIGNATURE");
    expect(codeOf(adapter.translate(JSON.stringify(JSON.parse(body), null, 1), headers, NOW))).toBe(
      "INVALID_SIGNATURE",
    );
    for (const missing of [
      "wechatpay-timestamp",
      "wechatpay-nonce",
      "wechatpay-signature",
      "wechatpay-serial",
    ]) {
      const { [missing]: _, ...rest } = headers;
      expect(codeOf(adapter.translate(body, rest, NOW))).toBe("INVALID_SIGNATURE");
    }
    expect(codeOf(translate(sim.body("TRANSACTION.SUCCESS", { ...paid, mchid: "1900000999" })))).toBe(
      "VALIDATION_FAILED",
    );
    expect(codeOf(translate(sim.body("TRANSACTION.SUCCESS", { ...paid, appid: "wx0000000000000999" })))).toBe(
      "VALIDATION_FAILED",
    );
    const otherKey = sim.body("TRANSACTION.SUCCESS", paid, { key: "fedcba9876543210fedcba9876543210" });
    expect(codeOf(translate(otherKey))).toBe("VALIDATION_FAILED");
    expect(codeOf(translate(sim.body("TRANSACTION.SUCCESS", { ...paid, amount: { total: 19.9 } })))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("refuses a resource holding what the database cannot store, even in a field the event does not use", () => {
    expect(codeOf(translate(sim.body("TRANSACTION.SUCCESS", { ...paid, attach: "a\u0000b" })))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("refuses a certificate whose serial is not the one it is configured under", () => {
    expect(
      () => new WechatPayAdapter({ ...sim.config(), publicKeys: { ABCDEF: sim.platform.certificate } }),
    ).toThrow(/serial ABCDEF/);
  });
});

describe("wechatPayConfig: PERKWISE_WECHATPAY_* from the environment", () => {
  it("reads ids, the APIv3 key and every key file; the base URL has a default", () => {
    const config = wechatPayConfig(sim.environment());
    expect(config).toMatchObject({
      mchid: sim.mchid,
      appid: sim.appid,
      apiV3Key: sim.apiV3Key,
      baseUrl: "https://api.mch.weixin.qq.com",
      merchantKey: undefined,
    });
    expect(Object.keys(config!.publicKeys).sort()).toEqual([sim.certificateSerial, sim.publicKeyId].sort());
    const body = sim.body("TRANSACTION.SUCCESS", paid);
    expect(new WechatPayAdapter(config!).translate(body, sim.headers(body, NOW), NOW).kind).toBe(
      "translated",
    );
  });

  it("none set: not configured; some, a short key or a bad key map: a start-up error", () => {
    expect(wechatPayConfig({})).toBeUndefined();
    expect(() => wechatPayConfig({ PERKWISE_WECHATPAY_MCHID: sim.mchid })).toThrow(
      /PERKWISE_WECHATPAY_APPID/,
    );
    expect(() => wechatPayConfig({ ...sim.environment(), PERKWISE_WECHATPAY_APIV3_KEY: "short" })).toThrow(
      /32 bytes/,
    );
    expect(() => wechatPayConfig({ ...sim.environment(), PERKWISE_WECHATPAY_PUBLIC_KEYS: "[]" })).toThrow(
      /JSON object/,
    );
    expect(() =>
      wechatPayConfig({
        ...sim.environment(),
        PERKWISE_WECHATPAY_PUBLIC_KEYS: '{"PUB_KEY_ID_X": "/nonexistent.pem"}',
      }),
    ).toThrow(/does not exist/);
  });
});
