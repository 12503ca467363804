import { createSign, type KeyObject, randomBytes } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { WechatPayConfig } from "../config.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { MAX_MINOR_UNITS } from "./money.js";
import type { ReceivedNotification } from "./payment-event.js";
import { evidenceHeaders } from "./provider-adapter.js";
import type { ProviderQuery, QueriedOrder, QueryAnswer } from "./provider-query.js";
import {
  SIGNATURE_TYPE,
  verificationKey,
  verifies,
  WECHATPAY_TOLERANCE_SECONDS,
} from "./wechatpay-adapter.js";

export const WECHATPAY_QUERY_TIMEOUT_MS = 5_000;
const ORDER_NOT_EXIST = "ORDER_NOT_EXIST";

/** The query's answer: a transaction in any state (an unpaid one has no transaction_id yet). */
const QueriedTransaction = TypeCompiler.Compile(
  Type.Object({
    mchid: Type.String(),
    appid: Type.String(),
    out_trade_no: Type.String(),
    trade_state: Type.String({ minLength: 1, maxLength: 32 }),
    transaction_id: Type.Optional(Type.String({ pattern: "^[0-9A-Za-z]{1,64}$" })),
    success_time: Type.Optional(Type.String({ maxLength: 64 })),
    amount: Type.Optional(
      Type.Object({
        total: Type.Integer({ minimum: 0, maximum: MAX_MINOR_UNITS }),
        currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
      }),
    ),
  }),
);
const ErrorAnswer = TypeCompiler.Compile(Type.Object({ code: Type.String({ maxLength: 64 }) }));

/** The request's signed message (APIv3): method, path with query, timestamp, nonce, body (empty for GET). */
export function wechatPayRequestMessage(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body = "",
) {
  return `${method}\n${path}\n${timestamp}\n${nonce}\n${body}\n`;
}

/**
 * WeChat Pay's query by out_trade_no (APIv3): `GET /v3/pay/transactions/out-trade-no/{id}?mchid=…`,
 * signed with our merchant key (PERKWISE_WECHATPAY_MERCHANT_KEY_FILE, its serial
 * PERKWISE_WECHATPAY_MERCHANT_SERIAL) in the `Authorization: WECHATPAY2-SHA256-RSA2048 …` header; the
 * answer's signature over `timestamp\nnonce\nbody\n` is verified with the platform key its
 * `Wechatpay-Serial` names, exactly as a notification's (wechatpay-adapter.ts), within ±5 minutes.
 * node:crypto and fetch, like the adapter: wechatpay-node-v3 hard-codes the production host and
 * knows only platform certificates; the tests cross-check the request signature and the answer's
 * verification with it.
 *
 * | WeChat Pay answers | answer |
 * |---|---|
 * | 200, trade_state SUCCESS | paid (key `wechatpay:<transaction_id>:succeeded`, as the notification's) |
 * | 200, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR, REFUND | not_paid with that trade_state |
 * | 404 ORDER_NOT_EXIST | not_paid: the member never reached WeChat Pay's cashier |
 * | anything else, an unverified answer, or none | unknown |
 */
export class WechatPayQuery implements ProviderQuery {
  readonly provider = "wechatpay" as const;
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    private readonly config: WechatPayConfig & { merchantKey: string; merchantSerial: string },
    private readonly timeoutMs = WECHATPAY_QUERY_TIMEOUT_MS,
  ) {
    for (const [serial, pem] of Object.entries(config.publicKeys))
      this.keys.set(serial, verificationKey(serial, pem));
  }

  /** Queries need our merchant key and its serial; without them WeChat Pay is not asked. */
  static create(config: WechatPayConfig, timeoutMs?: number): WechatPayQuery | null {
    const { merchantKey, merchantSerial } = config;
    if (!merchantKey || !merchantSerial) return null;
    return new WechatPayQuery({ ...config, merchantKey, merchantSerial }, timeoutMs);
  }

  /** The Authorization header of a request, as WeChat Pay's APIv3 rules have it. */
  authorization(method: string, path: string, timestamp: string, nonce: string, body = ""): string {
    const signature = createSign("RSA-SHA256")
      .update(wechatPayRequestMessage(method, path, timestamp, nonce, body), "utf8")
      .sign(this.config.merchantKey, "base64");
    return (
      `${SIGNATURE_TYPE} mchid="${this.config.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",` +
      `serial_no="${this.config.merchantSerial}",signature="${signature}"`
    );
  }

  async query(order: QueriedOrder, nowMs: number): Promise<QueryAnswer> {
    const path =
      `/v3/pay/transactions/out-trade-no/${encodeURIComponent(order.orderId)}` +
      `?mchid=${encodeURIComponent(this.config.mchid)}`;
    const timestamp = String(Math.floor(nowMs / 1000));
    const nonce = randomBytes(16).toString("hex");
    let response: Response;
    let body: string;
    try {
      response = await fetch(new URL(path, this.config.baseUrl), {
        headers: {
          authorization: this.authorization("GET", path, timestamp, nonce),
          accept: "application/json",
          "user-agent": "perkwise",
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "unknown", reason: `the query failed: ${message.slice(0, 300)}` };
    }
    const headers = Object.fromEntries(response.headers);
    const unverified = this.unverified(headers, body, nowMs);
    if (unverified) return { kind: "unknown", reason: unverified };
    const answer: ReceivedNotification = {
      provider: "wechatpay",
      body,
      headers: { status: String(response.status), ...evidenceHeaders(headers) },
      verification: {
        verified: true,
        method: SIGNATURE_TYPE,
        detail: `serial ${headers["wechatpay-serial"]}, GET ${path}`,
      },
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { kind: "unknown", reason: `the answer (HTTP ${response.status}) is not JSON` };
    }
    const code = ErrorAnswer.Check(parsed) ? parsed.code : "";
    if (response.status === 404 && code === ORDER_NOT_EXIST)
      return { kind: "not_paid", status: ORDER_NOT_EXIST, answer };
    if (response.status !== 200 || !QueriedTransaction.Check(parsed))
      return { kind: "unknown", reason: `WeChat Pay answered HTTP ${response.status} ${code}`.trim() };
    const t = parsed;
    if (t.out_trade_no !== order.orderId || t.mchid !== this.config.mchid)
      return { kind: "unknown", reason: "WeChat Pay answered about another order or merchant" };
    if (t.trade_state !== "SUCCESS") return { kind: "not_paid", status: t.trade_state, answer };
    if (!t.amount || !t.transaction_id)
      return { kind: "unknown", reason: "WeChat Pay's SUCCESS answer lacks its amount or transaction_id" };
    if (t.appid !== this.config.appid)
      return { kind: "unknown", reason: "WeChat Pay's answer is for another appid" };
    const paidAt = t.success_time && parseIsoDateTime(t.success_time) !== null ? t.success_time : undefined;
    return {
      kind: "paid",
      event: {
        type: "payment.succeeded",
        orderId: order.orderId,
        amount: { amount: t.amount.total, currency: t.amount.currency ?? "CNY" },
        providerRef: t.transaction_id,
        ...(paidAt && { paidAt }),
      },
      answer,
    };
  }

  /** Why the answer cannot be trusted, or null when its signature verifies with a key we know. */
  private unverified(headers: Record<string, string>, body: string, nowMs: number): string | null {
    const timestamp = headers["wechatpay-timestamp"];
    const nonce = headers["wechatpay-nonce"];
    const signature = headers["wechatpay-signature"];
    const serial = headers["wechatpay-serial"];
    if (!timestamp || !nonce || !signature || !serial) return "the answer is not signed";
    const key = this.keys.get(serial);
    if (!key) return `the answer is signed with an unknown key (Wechatpay-Serial ${serial.slice(0, 64)})`;
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(nowMs / 1000 - Number(timestamp)) > WECHATPAY_TOLERANCE_SECONDS
    )
      return "the answer's Wechatpay-Timestamp is more than 5 minutes away";
    if (!verifies(key, `${timestamp}\n${nonce}\n${body}\n`, signature))
      return "the answer's signature does not verify";
    return null;
  }
}
