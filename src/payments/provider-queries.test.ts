/**
 * The query clients against local simulators of Alipay's gateway and WeChat Pay's API, which sign
 * their answers as the providers do; the providers' SDKs verify those answers (alipay-sdk inside
 * AlipayQuery; wechatpay-node-v3's verifySign here) and sign our requests the same way we do.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WxPay from "wechatpay-node-v3";
import { AlipaySimulator, serveAlipayGateway } from "../../test/support/alipay-simulator.js";
import type { QueryServer } from "../../test/support/query-server.js";
import { serveWechatPayApi, WechatPaySimulator } from "../../test/support/wechatpay-simulator.js";
import { AlipayQuery } from "./alipay-query.js";
import type { QueriedOrder } from "./provider-query.js";
import { WechatPayQuery, wechatPayRequestMessage } from "./wechatpay-query.js";

const NOW = Date.parse("2026-11-24T02:10:00Z");
const order = (orderId: string): QueriedOrder => ({
  orderId,
  amount: 1500,
  currency: "CNY",
  createdAt: new Date(NOW - 600_000),
  providerRef: null,
});

describe("Alipay's alipay.trade.query through alipay-sdk", () => {
  const sim = new AlipaySimulator();
  let gateway: QueryServer & { gateway: string };
  let query: AlipayQuery;
  beforeAll(async () => {
    gateway = await serveAlipayGateway(sim);
    query = new AlipayQuery(sim.config(gateway.gateway));
  });
  afterAll(() => gateway.close());

  it("a paid trade is `paid`, the event under the notification's trade_no; our request verifies with our app key", async () => {
    sim.trades.set("ord_q1", { status: "TRADE_SUCCESS", totalAmount: "15.00" });
    const answer = await query.query(order("ord_q1"));
    expect(answer).toMatchObject({
      kind: "paid",
      event: {
        type: "payment.succeeded",
        orderId: "ord_q1",
        amount: { amount: 1500, currency: "CNY" },
        providerRef: expect.stringMatching(/^202611242200\d{16}$/),
      },
    });
    if (answer.kind !== "paid") throw new Error("not paid");
    expect(answer.event.paidAt).toBe("2026-11-24T10:00:05+08:00");
    expect(answer.answer).toMatchObject({ provider: "alipay", verification: { verified: true } });
    expect(JSON.parse(answer.answer.body).alipay_trade_query_response).toMatchObject({
      trade_status: "TRADE_SUCCESS",
      total_amount: "15.00",
    });
    const asked = sim.queries.at(-1)!;
    expect(asked.verified).toBe(true);
    expect(asked.params).toMatchObject({
      method: "alipay.trade.query",
      app_id: sim.appId,
      sign_type: "RSA2",
    });
    expect(JSON.parse(asked.params.biz_content)).toEqual({ out_trade_no: "ord_q1" });
  });

  it("WAIT_BUYER_PAY, TRADE_CLOSED and an unknown trade are `not_paid` with Alipay's status", async () => {
    sim.trades.set("ord_q2", { status: "WAIT_BUYER_PAY", totalAmount: "15.00" });
    sim.trades.set("ord_q3", { status: "TRADE_CLOSED", totalAmount: "15.00" });
    expect(await query.query(order("ord_q2"))).toMatchObject({ kind: "not_paid", status: "WAIT_BUYER_PAY" });
    expect(await query.query(order("ord_q3"))).toMatchObject({ kind: "not_paid", status: "TRADE_CLOSED" });
    expect(await query.query(order("ord_none"))).toMatchObject({
      kind: "not_paid",
      status: "ACQ.TRADE_NOT_EXIST",
    });
  });

  it("an answer signed with another key, a tampered one, a 502 and no gateway at all are `unknown`", async () => {
    sim.trades.set("ord_q4", { status: "TRADE_SUCCESS", totalAmount: "15.00" });
    const stranger = new AlipayQuery({
      ...sim.config(gateway.gateway),
      alipayPublicKey: sim.strangerKeys.publicKey,
    });
    expect(await stranger.query(order("ord_q4"))).toMatchObject({ kind: "unknown" });
    const json = JSON.stringify({
      code: "10000",
      msg: "Success",
      out_trade_no: "ord_q4",
      trade_no: "1",
      trade_status: "TRADE_SUCCESS",
      total_amount: "15.00",
    });
    sim.failWith = { status: 200, body: `{"alipay_trade_query_response":${json},"sign":"AAAA"}` };
    try {
      expect((await query.query(order("ord_q4"))).kind).toBe("unknown");
      sim.failWith = { status: 502, body: "Bad Gateway" };
      expect(await query.query(order("ord_q4"))).toMatchObject({
        kind: "unknown",
        reason: expect.stringContaining("502"),
      });
    } finally {
      sim.failWith = null;
    }
    const nowhere = new AlipayQuery(sim.config("http://127.0.0.1:9/gateway.do"), 1000);
    expect((await nowhere.query(order("ord_q4"))).kind).toBe("unknown");
  });

  it("a request signed with a key Alipay does not know is refused by the gateway: `unknown`", async () => {
    const wrong = new AlipayQuery({
      ...sim.config(gateway.gateway),
      privateKey: sim.strangerKeys.privateKey,
    });
    expect(await wrong.query(order("ord_q1"))).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("isv.invalid-signature"),
    });
    expect(sim.queries.at(-1)!.verified).toBe(false);
  });
});

describe("WeChat Pay's query by out_trade_no", () => {
  const sim = new WechatPaySimulator();
  let api: QueryServer;
  let query: WechatPayQuery;
  beforeAll(async () => {
    api = await serveWechatPayApi(sim, () => NOW);
    query = WechatPayQuery.create(sim.config(api.url))!;
  });
  afterAll(() => api.close());

  it("is not configured without our merchant key", () => {
    expect(WechatPayQuery.create(sim.config())).toBeNull();
  });

  it("a SUCCESS transaction is `paid` under its transaction_id; the answer verified", async () => {
    sim.trades.set("ord_w1", { tradeState: "SUCCESS", total: 1500 });
    const answer = await query.query(order("ord_w1"), NOW);
    expect(answer).toMatchObject({
      kind: "paid",
      event: { type: "payment.succeeded", orderId: "ord_w1", amount: { amount: 1500, currency: "CNY" } },
      answer: { provider: "wechatpay", verification: { verified: true } },
    });
    if (answer.kind !== "paid") throw new Error("not paid");
    expect(answer.event.providerRef).toMatch(/^4200\d{24}$/);
    expect(answer.answer.headers["wechatpay-serial"]).toBe(sim.publicKeyId);
    expect(sim.queries.at(-1)).toMatchObject({
      path: `/v3/pay/transactions/out-trade-no/ord_w1?mchid=${sim.mchid}`,
      verified: true,
    });
  });

  it("wechatpay-node-v3 signs our request exactly as we do, and verifies the simulator's answer", async () => {
    const pay = new WxPay({
      appid: sim.appid,
      mchid: sim.mchid,
      publicKey: Buffer.from(sim.platform.certificate),
      privateKey: Buffer.from(sim.merchantKeys.privateKey),
      serial_no: sim.merchantSerial,
      key: sim.apiV3Key,
    });
    const path = `/v3/pay/transactions/out-trade-no/ord_w1?mchid=${sim.mchid}`;
    const ours = query.authorization("GET", path, "1764000000", "nonce123");
    const theirs = pay.getAuthorization(
      "nonce123",
      "1764000000",
      pay.getSignature("GET", "nonce123", "1764000000", path),
    );
    expect(ours).toBe(theirs);
    expect(wechatPayRequestMessage("GET", path, "1", "n")).toBe(`GET\n${path}\n1\nn\n\n`);
    // The answer: WeChat Pay's SDK, told the simulator's key, verifies it.
    const response = await fetch(`${api.url}${path}`, {
      headers: { authorization: ours.replace("1764000000", String(Math.floor(NOW / 1000))) },
    });
    const body = await response.text();
    (WxPay as unknown as { certificates: Record<string, string> }).certificates = {
      [sim.publicKeyId]: sim.publicKeyPair.publicKey,
    };
    const verified = await pay.verifySign({
      timestamp: response.headers.get("wechatpay-timestamp")!,
      nonce: response.headers.get("wechatpay-nonce")!,
      body,
      serial: response.headers.get("wechatpay-serial")!,
      signature: response.headers.get("wechatpay-signature")!,
    });
    expect(verified).toBe(true);
  });

  it("NOTPAY, CLOSED, REFUND and an unknown order are `not_paid` with WeChat Pay's state", async () => {
    for (const tradeState of ["NOTPAY", "CLOSED", "REFUND"] as const) {
      sim.trades.set(`ord_w_${tradeState}`, { tradeState, total: 1500 });
      expect(await query.query(order(`ord_w_${tradeState}`), NOW)).toMatchObject({
        kind: "not_paid",
        status: tradeState,
      });
    }
    expect(await query.query(order("ord_w_none"), NOW)).toMatchObject({
      kind: "not_paid",
      status: "ORDER_NOT_EXIST",
    });
  });

  it("an answer signed with a stranger's key, by an unknown serial or 6 minutes old is `unknown`", async () => {
    sim.trades.set("ord_w2", { tradeState: "SUCCESS", total: 1500 });
    const cases = [
      { privateKey: sim.strangerKeys.privateKey },
      { serial: "PUB_KEY_ID_UNKNOWN", privateKey: sim.publicKeyPair.privateKey },
      { timestampS: Math.floor(NOW / 1000) - 301 },
    ];
    try {
      for (const signing of cases) {
        sim.answerSigning = signing;
        expect((await query.query(order("ord_w2"), NOW)).kind).toBe("unknown");
      }
      // 300 s is still within WeChat Pay's tolerance.
      sim.answerSigning = { timestampS: Math.floor(NOW / 1000) - 300 };
      expect((await query.query(order("ord_w2"), NOW)).kind).toBe("paid");
    } finally {
      sim.answerSigning = null;
    }
  });

  it("a request signed with the wrong merchant key is refused (401 SIGN_ERROR): `unknown`", async () => {
    const wrong = WechatPayQuery.create({
      ...sim.config(api.url),
      merchantKey: sim.strangerKeys.privateKey,
    })!;
    expect(await wrong.query(order("ord_w1"), NOW)).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("401"),
    });
    const nowhere = WechatPayQuery.create(sim.config("http://127.0.0.1:9"), 1000)!;
    expect((await nowhere.query(order("ord_w1"), NOW)).kind).toBe("unknown");
  });
});
