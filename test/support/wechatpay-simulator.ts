import { execFileSync } from "node:child_process";
import { createVerify, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { WechatPayConfig } from "../../src/config.js";
import {
  wechatpayEncrypt,
  wechatpayNotificationBody,
  wechatpaySignatureHeaders,
} from "../../src/demo/provider-signers.js";
import { type RsaKeyPair, rsaKeyPair } from "./alipay-simulator.js";
import { type QueryServer, serveQueries } from "./query-server.js";

/** What the local WeChat Pay knows of a transaction, for the query by out_trade_no. */
export interface WechatPayTrade {
  tradeState: "SUCCESS" | "NOTPAY" | "CLOSED" | "REFUND" | "USERPAYING" | "PAYERROR" | "REVOKED";
  /** Fen. */
  total: number;
  transactionId?: string;
  currency?: string;
  appid?: string;
}

/** A platform certificate as WeChat Pay issues them: self-signed here, with a fixed serial. */
function platformCertificate(serial: string): { certificate: string; privateKey: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "perkwise-wxcert-"));
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "3650",
    ].concat(["-subj", "/CN=Tenpay.com Root CA", "-set_serial", `0x${serial}`]),
    { stdio: "ignore" },
  );
  return { certificate: readFileSync(certFile, "utf8"), privateKey: readFileSync(keyFile, "utf8") };
}

export interface TransactionFields {
  orderId: string;
  /** Fen. */
  total: number;
  transactionId?: string;
  currency?: string;
  tradeState?: string;
  mchid?: string;
  appid?: string;
}

export interface RefundFields {
  orderId: string;
  refundId: string;
  /** This refund's fen. */
  refund: number;
  /** The payment's fen. */
  total: number;
  transactionId?: string;
  status?: "SUCCESS" | "ABNORMAL" | "CLOSED";
  mchid?: string;
}

export interface SignOptions {
  /** Wechatpay-Serial: default the public key's id. */
  serial?: string;
  privateKey?: string;
  timestampS?: number;
  nonce?: string;
}

/**
 * A local WeChat Pay that notifies as WeChat Pay does (APIv3): the resource encrypted with
 * AES-256-GCM under the APIv3 key (the tag appended to the ciphertext), the body signed with
 * SHA256withRSA over `timestamp\nnonce\nbody\n` by the key its Wechatpay-Serial names — a
 * platform certificate's or a `PUB_KEY_ID_…` public key's.
 */
export class WechatPaySimulator {
  readonly mchid = "1900000001";
  readonly appid = "wx8888888888888888";
  readonly apiV3Key = "0123456789abcdef0123456789abcdef";
  readonly publicKeyId = "PUB_KEY_ID_0119000000012025112400000000000001";
  /** WeChat Pay's public-key mode pair. */
  readonly publicKeyPair: RsaKeyPair = rsaKeyPair("pkcs8");
  readonly certificateSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  readonly platform = platformCertificate(this.certificateSerial);
  readonly strangerKeys: RsaKeyPair = rsaKeyPair("pkcs8");
  /** Our merchant API key pair: we sign queries with its private key, WeChat Pay verifies with its public key. */
  readonly merchantKeys: RsaKeyPair = rsaKeyPair("pkcs8");
  readonly merchantSerial = "3775B6A45ACD588826D15E583A95F5DD00000001";
  /** Transactions by out_trade_no; an order not here does not exist. */
  readonly trades = new Map<string, WechatPayTrade>();
  /** Every query received: its path, and whether our Authorization header verified. */
  readonly queries: { path: string; verified: boolean; authorization: string }[] = [];
  /** When set, answers are signed with these options (a stranger's key, an unknown serial, a stale time). */
  answerSigning: SignOptions | null = null;

  /** The server's configuration; with `api` (the query API's base URL) queries are configured too. */
  config(api?: string): WechatPayConfig {
    if (api !== undefined)
      return {
        ...this.config(),
        merchantKey: this.merchantKeys.privateKey,
        merchantSerial: this.merchantSerial,
        baseUrl: api,
      };
    return {
      mchid: this.mchid,
      appid: this.appid,
      apiV3Key: this.apiV3Key,
      publicKeys: {
        [this.publicKeyId]: this.publicKeyPair.publicKey,
        [this.certificateSerial]: this.platform.certificate,
      },
      merchantKey: undefined,
      merchantSerial: undefined,
      baseUrl: "http://127.0.0.1:9",
    };
  }

  /** The keys as files and the environment variables that name them (PERKWISE_WECHATPAY_*). */
  environment(): Record<string, string> {
    const dir = mkdtempSync(path.join(tmpdir(), "perkwise-wechatpay-"));
    const publicKeyFile = path.join(dir, "pub_key.pem");
    const certificateFile = path.join(dir, "wechatpay_cert.pem");
    writeFileSync(publicKeyFile, this.publicKeyPair.publicKey);
    writeFileSync(certificateFile, this.platform.certificate);
    return {
      PERKWISE_WECHATPAY_MCHID: this.mchid,
      PERKWISE_WECHATPAY_APPID: this.appid,
      PERKWISE_WECHATPAY_APIV3_KEY: this.apiV3Key,
      PERKWISE_WECHATPAY_PUBLIC_KEYS: JSON.stringify({
        [this.publicKeyId]: publicKeyFile,
        [this.certificateSerial]: certificateFile,
      }),
    };
  }

  transaction(f: TransactionFields): Record<string, unknown> {
    return {
      appid: f.appid ?? this.appid,
      mchid: f.mchid ?? this.mchid,
      out_trade_no: f.orderId,
      transaction_id: f.transactionId ?? transactionIdOf(f.orderId),
      trade_type: "NATIVE",
      trade_state: f.tradeState ?? "SUCCESS",
      trade_state_desc: "支付成功",
      bank_type: "OTHERS",
      attach: "",
      success_time: "2026-11-24T10:00:05+08:00",
      payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
      amount: { total: f.total, payer_total: f.total, currency: f.currency ?? "CNY", payer_currency: "CNY" },
    };
  }

  refund(f: RefundFields): Record<string, unknown> {
    return {
      mchid: f.mchid ?? this.mchid,
      out_trade_no: f.orderId,
      transaction_id: f.transactionId ?? transactionIdOf(f.orderId),
      out_refund_no: `rf_${f.refundId}`,
      refund_id: f.refundId,
      refund_status: f.status ?? "SUCCESS",
      success_time: "2026-11-24T10:30:00+08:00",
      user_received_account: "支付用户零钱",
      amount: { total: f.total, refund: f.refund, payer_total: f.total, payer_refund: f.refund },
    };
  }

  /** The resource encrypted as WeChat Pay does: AES-256-GCM, the 16-byte tag after the ciphertext. */
  encrypt(plaintext: string, associatedData: string, nonce: string, key = this.apiV3Key): string {
    return wechatpayEncrypt(plaintext, associatedData, nonce, key);
  }

  /** The notification body (JSON as WeChat Pay lays it out) for an event and its decrypted resource. */
  body(
    eventType: string,
    resource: Record<string, unknown>,
    options: { id?: string; key?: string; associatedData?: string } = {},
  ): string {
    return wechatpayNotificationBody(eventType, resource, options.key ?? this.apiV3Key, options);
  }

  /** The signature headers WeChat Pay sends with `body`. */
  headers(body: string, nowMs: number, options: SignOptions = {}): Record<string, string> {
    const serial = options.serial ?? this.publicKeyId;
    const privateKey =
      options.privateKey ??
      (serial === this.certificateSerial ? this.platform.privateKey : this.publicKeyPair.privateKey);
    const timestampS = options.timestampS ?? Math.floor(nowMs / 1000);
    return wechatpaySignatureHeaders(body, serial, privateKey, timestampS, options.nonce);
  }

  async post(baseUrl: string, body: string, headers: Record<string, string>) {
    const response = await fetch(`${baseUrl}/v1/payments/wechatpay/notify`, {
      method: "POST",
      headers,
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : JSON.parse(text) };
  }
}

/**
 * WeChat Pay's query by out_trade_no on 127.0.0.1, answered as WeChat Pay does: our
 * `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,timestamp=…,serial_no=…,signature=…`
 * checked with our merchant public key over `GET\npath\ntimestamp\nnonce\n\n`; the answer (200 with
 * the transaction, 404 ORDER_NOT_EXIST, 401 SIGN_ERROR) signed over `timestamp\nnonce\nbody\n` by the
 * key its Wechatpay-Serial names.
 */
export async function serveWechatPayApi(sim: WechatPaySimulator, nowMs: () => number): Promise<QueryServer> {
  return serveQueries((request, _body, response) => {
    const path = request.url ?? "/";
    const authorization = String(request.headers.authorization ?? "");
    const fields = Object.fromEntries(
      [...authorization.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as [string, string]),
    );
    const message = `GET\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n\n`;
    let verified = false;
    try {
      verified =
        authorization.startsWith("WECHATPAY2-SHA256-RSA2048 ") &&
        fields.mchid === sim.mchid &&
        fields.serial_no === sim.merchantSerial &&
        createVerify("RSA-SHA256")
          .update(message)
          .verify(sim.merchantKeys.publicKey, fields.signature ?? "", "base64");
    } catch {
      verified = false;
    }
    sim.queries.push({ path, verified, authorization });
    const send = (status: number, body: Record<string, unknown>) => {
      const text = JSON.stringify(body);
      const headers = sim.headers(text, nowMs(), sim.answerSigning ?? {});
      response.statusCode = status;
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      response.setHeader("request-id", `08F4${randomBytes(8).toString("hex").toUpperCase()}`);
      response.end(text);
    };
    if (!verified) return send(401, { code: "SIGN_ERROR", message: "签名错误" });
    const match = /^\/v3\/pay\/transactions\/out-trade-no\/([^/?]+)\?mchid=(\w+)$/.exec(path);
    if (!match || match[2] !== sim.mchid) return send(400, { code: "PARAM_ERROR", message: "参数错误" });
    const orderId = decodeURIComponent(match[1]);
    const trade = sim.trades.get(orderId);
    if (!trade) return send(404, { code: "ORDER_NOT_EXIST", message: "订单不存在" });
    const paid = trade.tradeState === "SUCCESS";
    send(200, {
      amount: paid
        ? {
            currency: trade.currency ?? "CNY",
            payer_currency: "CNY",
            payer_total: trade.total,
            total: trade.total,
          }
        : { currency: trade.currency ?? "CNY", payer_currency: "CNY", total: trade.total },
      appid: trade.appid ?? sim.appid,
      attach: "",
      mchid: sim.mchid,
      out_trade_no: orderId,
      ...(paid && {
        bank_type: "OTHERS",
        payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
        success_time: "2026-11-24T10:00:05+08:00",
        transaction_id: trade.transactionId ?? transactionIdOf(orderId),
        trade_type: "NATIVE",
      }),
      trade_state: trade.tradeState,
      trade_state_desc: paid ? "支付成功" : "订单未支付",
    });
  });
}

/** A stable 28-digit WeChat Pay transaction id for an order id. */
export function transactionIdOf(orderId: string): string {
  let hash = 0n;
  for (const ch of orderId) hash = (hash * 131n + BigInt(ch.codePointAt(0)!)) % 10n ** 18n;
  return `4200${hash.toString().padStart(24, "0")}`;
}
