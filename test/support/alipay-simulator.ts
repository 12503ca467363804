import { createSign, createVerify, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AlipayConfig } from "../../src/config.js";
import { alipaySignedContent, signAlipayFields } from "../../src/demo/provider-signers.js";
import { type QueryServer, serveQueries } from "./query-server.js";

/** What the local Alipay knows of a trade, for alipay.trade.query. */
export interface AlipayTrade {
  status: "WAIT_BUYER_PAY" | "TRADE_SUCCESS" | "TRADE_FINISHED" | "TRADE_CLOSED";
  /** Yuan ("15.00"). */
  totalAmount: string;
  tradeNo?: string;
  /** Beijing time; default 2026-11-24 10:00:05. */
  sendPayDate?: string;
}

export interface RsaKeyPair {
  publicKey: string;
  privateKey: string;
}

/** A 2048-bit RSA pair as Alipay hands them out: SPKI public key, PKCS#1 private key, PEM. */
export function rsaKeyPair(privateType: "pkcs1" | "pkcs8" = "pkcs1"): RsaKeyPair {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: privateType, format: "pem" },
  });
}

/** What a notification is about; everything else gets Alipay's usual values. */
export interface NotificationFields {
  orderId: string;
  /** Alipay's trade number; default one per order id. */
  tradeNo?: string;
  status: "TRADE_SUCCESS" | "TRADE_FINISHED" | "TRADE_CLOSED" | "WAIT_BUYER_PAY" | string;
  /** Yuan as Alipay writes them ("19.90"). */
  totalAmount: string;
  refundFee?: string;
  /** Beijing time `yyyy-MM-dd HH:mm:ss`; default 2026-11-24 10:00:05 (T0 in the tests). */
  gmtPayment?: string | null;
  notifyId?: string;
  /** Any other field, or an override (app_id, seller_id, passback_params …). */
  extra?: Record<string, string>;
}

/**
 * A local Alipay that signs notifications exactly as Alipay does (the documented algorithm with
 * node:crypto — alipay-sdk has no notification signer): every field but `sign` and `sign_type`,
 * sorted by key in ASCII order, joined as `k=v` with `&` (values not encoded), SHA256withRSA with
 * Alipay's private key, base64; the whole form then URL-encoded once.
 */
export class AlipaySimulator {
  readonly appId = "2021000000000001";
  readonly sellerId = "2088000000000001";
  /** Alipay's own pair: it signs notifications; we are configured with its public key. */
  readonly alipayKeys: RsaKeyPair = rsaKeyPair();
  /** Our application's pair (the SDK requires our private key; it signs queries). */
  readonly appKeys: RsaKeyPair = rsaKeyPair();
  /** Someone else's key: a notification signed with it must be refused. */
  readonly strangerKeys: RsaKeyPair = rsaKeyPair();

  /** Trades by out_trade_no, as alipay.trade.query answers them; an order not here does not exist. */
  readonly trades = new Map<string, AlipayTrade>();
  /** Every query the gateway received: its parameters, and whether our request signature verified. */
  readonly queries: { params: Record<string, string>; verified: boolean }[] = [];
  /** When set, the gateway answers this (HTTP status and body) instead, unsigned. */
  failWith: { status: number; body: string } | null = null;

  /** The server's configuration for this Alipay. */
  config(gateway = "http://127.0.0.1:9/gateway.do"): AlipayConfig {
    return {
      appId: this.appId,
      sellerId: this.sellerId,
      alipayPublicKey: this.alipayKeys.publicKey,
      privateKey: this.appKeys.privateKey,
      gateway,
    };
  }

  /** The keys as files and the environment variables that name them (PERKWISE_ALIPAY_*). */
  environment(): Record<string, string> {
    const dir = mkdtempSync(path.join(tmpdir(), "perkwise-alipay-"));
    const publicKeyFile = path.join(dir, "alipay-public.pem");
    const privateKeyFile = path.join(dir, "app-private.pem");
    writeFileSync(publicKeyFile, this.alipayKeys.publicKey);
    writeFileSync(privateKeyFile, this.appKeys.privateKey, { mode: 0o600 });
    return {
      PERKWISE_ALIPAY_APP_ID: this.appId,
      PERKWISE_ALIPAY_SELLER_ID: this.sellerId,
      PERKWISE_ALIPAY_PUBLIC_KEY_FILE: publicKeyFile,
      PERKWISE_ALIPAY_PRIVATE_KEY_FILE: privateKeyFile,
    };
  }

  /** A notification's fields, unsigned. */
  fields(f: NotificationFields): Record<string, string> {
    const params: Record<string, string> = {
      app_id: this.appId,
      charset: "utf-8",
      notify_id: f.notifyId ?? `n-${f.orderId}-${f.status}-${f.refundFee ?? "0"}`,
      notify_time: "2026-11-24 10:00:06",
      notify_type: "trade_status_sync",
      out_trade_no: f.orderId,
      seller_id: this.sellerId,
      subject: "会员月卡",
      total_amount: f.totalAmount,
      trade_no: f.tradeNo ?? tradeNoOf(f.orderId),
      trade_status: f.status,
      version: "1.0",
    };
    const gmtPayment = f.gmtPayment === undefined ? "2026-11-24 10:00:05" : f.gmtPayment;
    if (gmtPayment !== null && f.status !== "WAIT_BUYER_PAY") params.gmt_payment = gmtPayment;
    if (f.refundFee !== undefined) {
      params.refund_fee = f.refundFee;
      params.gmt_refund = "2026-11-24 10:30:00";
      params.out_biz_no = `rf-${f.refundFee}`;
    }
    return { ...params, ...f.extra };
  }

  /** The string Alipay signs: sorted `k=v` pairs without sign and sign_type. */
  signedContent(params: Record<string, string>): string {
    return alipaySignedContent(params);
  }

  /** The fields with `sign_type` and `sign`, signed with `privateKey` (default: Alipay's). */
  signed(params: Record<string, string>, privateKey = this.alipayKeys.privateKey): Record<string, string> {
    return signAlipayFields(params, privateKey);
  }

  /** The form body Alipay posts: the signed fields, URL-encoded once. */
  body(f: NotificationFields, privateKey?: string): string {
    return new URLSearchParams(this.signed(this.fields(f), privateKey)).toString();
  }

  /** Posts a form body to notify_url as Alipay does; the answer is plain text. */
  async post(
    baseUrl: string,
    body: string,
    contentType = "application/x-www-form-urlencoded; charset=utf-8",
  ) {
    const response = await fetch(`${baseUrl}/v1/payments/alipay/notify`, {
      method: "POST",
      headers: { "content-type": contentType, "user-agent": "Mozilla/4.0 (Alipay simulator)" },
      body,
    });
    return { status: response.status, text: await response.text() };
  }
}

/**
 * alipay.trade.query at a local gateway, answered as Alipay does: our request's signature checked
 * with our application's public key (all parameters but `sign`, sorted, `k=v&…`, SHA256withRSA), the
 * answer `{"alipay_trade_query_response":{…},"sign":"…"}` signed over the exact JSON text of the
 * response object with Alipay's private key — which alipay-sdk's validateSign verifies.
 */
export async function serveAlipayGateway(sim: AlipaySimulator): Promise<QueryServer & { gateway: string }> {
  const server = await serveQueries((request, body, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const content = Object.keys(params)
      .filter((k) => k !== "sign")
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join("&");
    let verified = false;
    try {
      verified = createVerify("RSA-SHA256")
        .update(content, "utf8")
        .verify(sim.appKeys.publicKey, params.sign ?? "", "base64");
    } catch {
      verified = false;
    }
    sim.queries.push({ params, verified });
    response.setHeader("content-type", "application/json;charset=utf-8");
    if (sim.failWith) {
      response.statusCode = sim.failWith.status;
      response.end(sim.failWith.body);
      return;
    }
    const answer = (fields: Record<string, unknown>) => {
      const json = JSON.stringify(fields);
      const sign = createSign("RSA-SHA256").update(json, "utf8").sign(sim.alipayKeys.privateKey, "base64");
      response.end(`{"alipay_trade_query_response":${json},"sign":"${sign}"}`);
    };
    if (!verified || params.app_id !== sim.appId || params.method !== "alipay.trade.query") {
      answer({
        code: "40002",
        msg: "Invalid Arguments",
        sub_code: "isv.invalid-signature",
        sub_msg: "验签出错",
      });
      return;
    }
    const orderId = String(JSON.parse(params.biz_content ?? "{}").out_trade_no ?? "");
    const trade = sim.trades.get(orderId);
    if (!trade) {
      answer({
        code: "40004",
        msg: "Business Failed",
        sub_code: "ACQ.TRADE_NOT_EXIST",
        sub_msg: "交易不存在",
        out_trade_no: orderId,
        buyer_pay_amount: "0.00",
        invoice_amount: "0.00",
        point_amount: "0.00",
        receipt_amount: "0.00",
      });
      return;
    }
    const paid = trade.status === "TRADE_SUCCESS" || trade.status === "TRADE_FINISHED";
    answer({
      code: "10000",
      msg: "Success",
      buyer_logon_id: "159****5620",
      buyer_pay_amount: paid ? trade.totalAmount : "0.00",
      buyer_user_id: "2088102122524333",
      invoice_amount: paid ? trade.totalAmount : "0.00",
      out_trade_no: orderId,
      point_amount: "0.00",
      receipt_amount: paid ? trade.totalAmount : "0.00",
      ...(paid && { send_pay_date: trade.sendPayDate ?? "2026-11-24 10:00:05" }),
      total_amount: trade.totalAmount,
      trade_no: trade.tradeNo ?? tradeNoOf(orderId),
      trade_status: trade.status,
    });
  });
  return { ...server, gateway: `${server.url}/gateway.do` };
}

/** A stable 28-digit Alipay trade number for an order id. */
export function tradeNoOf(orderId: string): string {
  let hash = 0n;
  for (const ch of orderId) hash = (hash * 131n + BigInt(ch.codePointAt(0)!)) % 10n ** 16n;
  return `202611242200${hash.toString().padStart(16, "0")}`;
}
