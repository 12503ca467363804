import type { AlipaySdk } from "alipay-sdk";
import type { AlipayConfig } from "../config.js";
import { alipaySdk, beijingTime } from "./alipay-adapter.js";
import { parseDecimalAmount } from "./money.js";
import type { ReceivedNotification } from "./payment-event.js";
import type { ProviderQuery, QueriedOrder, QueryAnswer } from "./provider-query.js";

const METHOD = "alipay.trade.query";
const RESPONSE_KEY = "alipay_trade_query_response";
/** Alipay's answer codes: 10000 is success; 40004 a business failure (sub_code says which). */
const SUCCESS = "10000";
const TRADE_NOT_EXIST = "ACQ.TRADE_NOT_EXIST";
const PAID = new Set(["TRADE_SUCCESS", "TRADE_FINISHED"]);
export const ALIPAY_QUERY_TIMEOUT_MS = 5_000;

type Answer = Record<string, unknown>;

/**
 * `alipay.trade.query` by out_trade_no (our order id), through alipay-sdk: the SDK signs the request
 * with our application's key (PERKWISE_ALIPAY_PRIVATE_KEY_FILE), posts it to PERKWISE_ALIPAY_GATEWAY
 * and verifies the answer's `sign` with Alipay's public key (validateSign) — an answer that does not
 * verify is thrown, and becomes `unknown` here.
 *
 * | Alipay answers | answer |
 * |---|---|
 * | 10000, TRADE_SUCCESS or TRADE_FINISHED | paid (key `alipay:<trade_no>:succeeded`, as the notification's) |
 * | 10000, WAIT_BUYER_PAY or TRADE_CLOSED | not_paid with that status |
 * | 40004 ACQ.TRADE_NOT_EXIST | not_paid: the member never reached Alipay's cashier |
 * | anything else, or no answer | unknown |
 */
export class AlipayQuery implements ProviderQuery {
  readonly provider = "alipay" as const;
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly config: AlipayConfig,
    timeoutMs = ALIPAY_QUERY_TIMEOUT_MS,
  ) {
    // Alipay's own field names, as its documentation and the notifications have them.
    this.sdk = alipaySdk(config, { timeout: timeoutMs, camelcase: false });
  }

  async query(order: QueriedOrder): Promise<QueryAnswer> {
    let data: Answer;
    try {
      data = (await this.sdk.exec(
        METHOD,
        { bizContent: { out_trade_no: order.orderId } },
        { validateSign: true },
      )) as Answer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "unknown", reason: `${METHOD} failed: ${message.slice(0, 300)}` };
    }
    const text = (field: string) => (typeof data[field] === "string" ? (data[field] as string) : undefined);
    const answer = this.received(data, order);
    const code = text("code");
    if (code !== SUCCESS) {
      const subCode = text("sub_code");
      if (subCode === TRADE_NOT_EXIST) return { kind: "not_paid", status: TRADE_NOT_EXIST, answer };
      return {
        kind: "unknown",
        reason:
          `${METHOD} answered ${code ?? "no code"} ${subCode ?? ""} ${text("sub_msg") ?? text("msg") ?? ""}`.trim(),
      };
    }
    if (text("out_trade_no") !== order.orderId)
      return { kind: "unknown", reason: `${METHOD} answered about another order` };
    const status = text("trade_status") ?? "";
    const tradeNo = text("trade_no");
    if (!PAID.has(status) || !tradeNo) return { kind: "not_paid", status: status || "UNKNOWN", answer };
    const amount = parseDecimalAmount(text("total_amount") ?? "");
    if (amount === null) return { kind: "unknown", reason: `${METHOD} answered an unreadable total_amount` };
    const paidAt = beijingTime(text("send_pay_date"));
    return {
      kind: "paid",
      event: {
        type: "payment.succeeded",
        orderId: order.orderId,
        amount: { amount, currency: "CNY" },
        providerRef: tradeNo,
        ...(paidAt && { paidAt }),
      },
      answer,
    };
  }

  /** The answer as evidence: what the SDK returned once it verified the sign (the sign itself left out). */
  private received(data: Answer, order: QueriedOrder): ReceivedNotification {
    const { traceId: _traceId, ...fields } = data;
    return {
      provider: "alipay",
      body: JSON.stringify({ [RESPONSE_KEY]: fields }),
      headers: {},
      verification: {
        verified: true,
        method: "RSA2 response sign (alipay-sdk exec validateSign)",
        detail: `${METHOD} out_trade_no ${order.orderId} at ${this.config.gateway}`,
      },
    };
  }
}
