import { AlipaySdk } from "alipay-sdk";
import type { AlipayConfig } from "../config.js";
import type { ErrorCode } from "../error-codes.js";
import type { ErrorDetail, Refusal } from "../errors.js";
import { unstorableStrings } from "../unstorable-strings.js";
import { parseDecimalAmount } from "./money.js";
import type { PaymentEvent, TranslatedNotification } from "./payment-event.js";
import {
  type AdapterVerdict,
  evidenceHeaders,
  type ProviderAdapter,
  type RawHeaders,
} from "./provider-adapter.js";

/** Alipay's amounts are yuan with two decimals. */
const ALIPAY_CURRENCY = "CNY";
/** What Alipay names its states; WAIT_BUYER_PAY is sent only if asked for, and means nothing yet. */
const PAID = new Set(["TRADE_SUCCESS", "TRADE_FINISHED"]);
/** Alipay's times are Beijing time, `yyyy-MM-dd HH:mm:ss`. */
const BEIJING_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
/** Our order ids (and Alipay's out_trade_no: at most 64 letters, digits and `_`). */
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Alipay's trade_no: digits, about 28 of them. */
const TRADE_NO = /^[0-9A-Za-z]{1,64}$/;

const refused = (code: ErrorCode, message: string, details: ErrorDetail[] = []): Refusal => ({
  kind: "refused",
  code,
  message,
  details,
});
const invalid = (path: string, message: string) =>
  refused("VALIDATION_FAILED", "The Alipay notification is malformed.", [{ path, message }]);

/**
 * Alipay's asynchronous notification (notify_url): form-encoded, RSA2-signed with Alipay's key.
 * Verified by alipay-sdk's checkNotifySignV2 over the body parsed once — never the legacy check,
 * which decodes values a second time and fails on any `%` (alipay-sdk-nodejs-all#45) — then
 * checked to be ours and translated:
 *
 * | trade_status | with refund_fee | event |
 * |---|---|---|
 * | TRADE_SUCCESS, TRADE_FINISHED | no | payment.succeeded (a FINISHED after SUCCESS is a redelivery) |
 * | TRADE_SUCCESS, TRADE_FINISHED | yes | payment.refunded, cumulative, partial unless the whole amount |
 * | TRADE_CLOSED | yes, or gmt_payment | payment.refunded, full |
 * | TRADE_CLOSED | no, never paid | payment.closed |
 */
/** alipay-sdk for our application: our key, Alipay's public key, the gateway. */
export function alipaySdk(config: AlipayConfig, options: { timeout?: number; camelcase?: boolean } = {}) {
  return new AlipaySdk({
    appId: config.appId,
    privateKey: config.privateKey,
    // The SDK reads the key as PKCS#1 unless told; a PKCS#8 PEM says so in its header.
    keyType: config.privateKey.includes("BEGIN PRIVATE KEY") ? "PKCS8" : "PKCS1",
    alipayPublicKey: config.alipayPublicKey,
    gateway: config.gateway,
    ...options,
  });
}

export class AlipayAdapter implements ProviderAdapter {
  readonly provider = "alipay" as const;
  private readonly sdk: AlipaySdk;

  constructor(private readonly config: AlipayConfig) {
    this.sdk = alipaySdk(config);
  }

  translate(rawBody: string, headers: RawHeaders): AdapterVerdict {
    const contentType = String(headers["content-type"] ?? "").toLowerCase();
    if (!contentType.startsWith("application/x-www-form-urlencoded")) {
      return refused("UNSUPPORTED_MEDIA_TYPE", "Alipay notifications are application/x-www-form-urlencoded.");
    }
    const params = parseForm(rawBody);
    if (!params) return invalid("/", "a field appears twice, or has no name");
    if (!params.sign) return refused("INVALID_SIGNATURE", "The notification has no sign.");
    // Our policy: RSA2 over UTF-8 only (the SDK would also try the deprecated RSA).
    if (params.sign_type !== "RSA2") return invalid("/sign_type", "must be RSA2");
    if (params.charset !== undefined && params.charset.toLowerCase() !== "utf-8")
      return invalid("/charset", "must be utf-8");
    if (!this.verifies(params)) {
      return refused("INVALID_SIGNATURE", "The sign does not verify with Alipay's public key.");
    }
    // Signed by Alipay — but maybe for another merchant's application.
    if (params.app_id !== this.config.appId) return invalid("/app_id", "is not this server's Alipay app");
    if (params.seller_id !== this.config.sellerId)
      return invalid("/seller_id", "is not this server's seller");
    const unstorable = unstorableStrings(params);
    if (unstorable.length > 0)
      return refused("VALIDATION_FAILED", "The notification is malformed.", unstorable);
    const event = eventOf(params);
    if (event.kind !== "event") return event;
    const translated: TranslatedNotification = {
      key: event.key,
      event: event.event,
      notification: {
        provider: "alipay",
        body: rawBody,
        headers: evidenceHeaders(headers),
        verification: {
          verified: true,
          method: "RSA2 (alipay-sdk checkNotifySignV2)",
          detail: `app_id ${params.app_id}, seller_id ${params.seller_id}, notify_id ${params.notify_id ?? "-"}`,
        },
      },
    };
    return { kind: "translated", translated };
  }

  private verifies(params: Record<string, string>): boolean {
    try {
      return this.sdk.checkNotifySignV2(params);
    } catch {
      // A key or signature node:crypto cannot even read is a signature that does not verify.
      return false;
    }
  }
}

/**
 * The form decoded exactly once; null when a field appears twice or has no name (Alipay sends
 * neither, and the SDK leaves nameless fields out of the signed string: they would ride along unsigned).
 */
function parseForm(rawBody: string): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawBody)) {
    if (key === "" || Object.hasOwn(params, key)) return null;
    params[key] = value;
  }
  return params;
}

type Translation = { kind: "event"; key: string; event: PaymentEvent } | AdapterVerdict;

function eventOf(params: Record<string, string>): Translation {
  const { out_trade_no: orderId, trade_no: tradeNo, trade_status: status } = params;
  if (!orderId || !ORDER_ID.test(orderId)) return invalid("/out_trade_no", "must be one of our order ids");
  if (!tradeNo || !TRADE_NO.test(tradeNo)) return invalid("/trade_no", "must be Alipay's trade number");
  const money = (field: string) => {
    const text = params[field];
    const amount = text === undefined ? null : parseDecimalAmount(text);
    return amount === null ? null : { amount, currency: ALIPAY_CURRENCY };
  };
  const refundFee = params.refund_fee === undefined ? undefined : money("refund_fee");
  if (refundFee === null) return invalid("/refund_fee", "must be yuan with at most two decimals");
  const refunded = refundFee !== undefined && refundFee.amount > 0;
  const base = { orderId, providerRef: tradeNo };
  if (status === "WAIT_BUYER_PAY") return { kind: "ignored", reason: "WAIT_BUYER_PAY: not paid yet" };
  if (PAID.has(status) && !refunded) {
    const total = money("total_amount");
    if (!total) return invalid("/total_amount", "must be yuan with at most two decimals");
    const paidAt = beijingTime(params.gmt_payment);
    return {
      kind: "event",
      // TRADE_FINISHED after TRADE_SUCCESS is the same payment: the same key, so it does nothing.
      key: `alipay:${tradeNo}:succeeded`,
      event: { type: "payment.succeeded", ...base, amount: total, ...(paidAt && { paidAt }) },
    };
  }
  if (PAID.has(status) && refundFee) {
    return {
      kind: "event",
      key: `alipay:${tradeNo}:refunded:${refundFee.amount}`,
      event: { type: "payment.refunded", ...base, amount: refundFee, full: false },
    };
  }
  if (status === "TRADE_CLOSED") {
    // Closed after a payment: refunded in full (refund_fee is the total; else the whole amount).
    if (refunded || params.gmt_payment !== undefined) {
      const amount = refunded ? refundFee : money("total_amount");
      if (!amount) return invalid("/total_amount", "must be yuan with at most two decimals");
      return {
        kind: "event",
        key: `alipay:${tradeNo}:refunded:${amount.amount}`,
        event: { type: "payment.refunded", ...base, amount, full: true },
      };
    }
    return { kind: "event", key: `alipay:${tradeNo}:closed`, event: { type: "payment.closed", ...base } };
  }
  return invalid("/trade_status", "must be TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED or WAIT_BUYER_PAY");
}

/** `2025-01-01 10:00:05` Beijing time as ISO-8601; undefined when absent or not that shape. */
export function beijingTime(text: string | undefined): string | undefined {
  const match = text === undefined ? null : BEIJING_TIME.exec(text);
  if (!match) return undefined;
  const iso = `${match[1]}T${match[2]}+08:00`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}
