import { createHash, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { loadConfig } from "../config.js";
import { demoProviders } from "../demo/demo-providers.js";
import {
  signAlipayFields,
  standardWebhookHeaders,
  wechatpayNotificationBody,
  wechatpaySignatureHeaders,
} from "../demo/provider-signers.js";
import { formatDecimalAmount, parseDecimalAmount } from "../payments/money.js";

export const SIMULATED_PROVIDERS = ["alipay", "wechatpay", "standard"] as const;
export type SimulatedProvider = (typeof SIMULATED_PROVIDERS)[number];

interface OrderAnswer {
  orderId: string;
  status: string;
  amount: { amount: number; currency: string };
}

interface Notification {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * `perkwise simulate-payment <alipay|wechatpay|standard> <orderId> [--refund AMOUNT] [--url URL]`:
 * be the payment provider for a demo order. Reads the order from the running server (admin key),
 * signs the notification exactly as the provider would with the demo's provider keys
 * (`<data dir>/demo-providers.json`, written by `serve --demo`; Standard Webhooks uses the payment
 * secret) and posts it. `--refund 5.00` sends a refund of that much instead (Alipay: the order's
 * cumulative refund; WeChat Pay: this refund). Exit 0 when the server acknowledged it.
 */
export async function simulatePayment(
  provider: SimulatedProvider,
  orderId: string,
  options: { refund?: string; url?: string },
): Promise<number> {
  const config = loadConfig(process.env);
  const url = (options.url ?? process.env.PERKWISE_URL ?? `http://127.0.0.1:${config.port}`).replace(
    /\/$/,
    "",
  );
  const found = await fetch(`${url}/v1/orders/${encodeURIComponent(orderId)}`, {
    headers: { authorization: `Bearer ${config.adminKey}` },
  });
  if (found.status !== 200) {
    console.error(`order ${orderId}: ${found.status} ${await found.text()}`);
    return 2;
  }
  const order = (await found.json()) as OrderAnswer;
  const refund = options.refund === undefined ? null : parseDecimalAmount(options.refund);
  if (options.refund !== undefined && (refund === null || refund <= 0)) {
    console.error(`--refund must be an amount like 5.00, not ${options.refund}`);
    return 2;
  }
  let notification: Notification;
  if (provider === "standard") notification = standardWebhook(config.paymentSecret, order, refund);
  else {
    const providers = demoProviders(config.dataDir, false);
    if (!providers) {
      console.error(`no demo payment providers in ${config.dataDir}: start \`perkwise serve --demo\` first`);
      return 2;
    }
    notification =
      provider === "alipay"
        ? alipayNotification(providers.alipay, order, refund)
        : wechatpayNotification(providers.wechatpay, order, refund);
  }
  console.log(`POST ${url}${notification.path}`);
  for (const [name, value] of Object.entries(notification.headers)) console.log(`${name}: ${value}`);
  console.log(`\n${notification.body}\n`);
  const answer = await fetch(`${url}${notification.path}`, {
    method: "POST",
    headers: notification.headers,
    body: notification.body,
  });
  const text = await answer.text();
  console.log(`→ ${answer.status} ${text}`);
  const acknowledged =
    provider === "alipay" ? text === "success" : provider === "wechatpay" ? answer.status === 204 : answer.ok;
  return acknowledged ? 0 : 1;
}

/** A provider's transaction number for an order: the same for its payment and its refunds. */
function digitsOf(orderId: string, length: number): string {
  const hash = BigInt(`0x${createHash("sha256").update(orderId).digest("hex")}`);
  return (hash % 10n ** BigInt(length)).toString().padStart(length, "0");
}

const beijing = (ms: number) => DateTime.fromMillis(ms, { zone: "Asia/Shanghai" });

function standardWebhook(secret: string, order: OrderAnswer, refund: number | null): Notification {
  const body = JSON.stringify(
    refund === null
      ? { type: "payment.succeeded", data: { orderId: order.orderId, amount: order.amount } }
      : {
          type: "payment.refunded",
          data: { orderId: order.orderId, amount: { ...order.amount, amount: refund } },
        },
  );
  const id = `msg_sim_${randomBytes(8).toString("hex")}`;
  return { path: "/v1/payments/events", body, headers: standardWebhookHeaders(secret, id, body) };
}

function alipayNotification(
  alipay: { appId: string; sellerId: string; alipayPrivateKey: string },
  order: OrderAnswer,
  refund: number | null,
): Notification {
  const now = beijing(Date.now()).toFormat("yyyy-MM-dd HH:mm:ss");
  const fields: Record<string, string> = {
    app_id: alipay.appId,
    charset: "utf-8",
    notify_id: `sim${randomBytes(12).toString("hex")}`,
    notify_time: now,
    notify_type: "trade_status_sync",
    out_trade_no: order.orderId,
    seller_id: alipay.sellerId,
    subject: order.orderId,
    total_amount: formatDecimalAmount(order.amount.amount),
    trade_no: `2026${digitsOf(order.orderId, 24)}`,
    trade_status: "TRADE_SUCCESS",
    gmt_payment: now,
    version: "1.0",
  };
  if (refund !== null) {
    fields.refund_fee = formatDecimalAmount(refund);
    fields.gmt_refund = now;
    fields.out_biz_no = `sim-refund-${randomBytes(4).toString("hex")}`;
  }
  return {
    path: "/v1/payments/alipay/notify",
    body: new URLSearchParams(signAlipayFields(fields, alipay.alipayPrivateKey)).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  };
}

function wechatpayNotification(
  wechatpay: { mchid: string; appid: string; apiV3Key: string; publicKeyId: string; privateKey: string },
  order: OrderAnswer,
  refund: number | null,
): Notification {
  const now = beijing(Date.now()).toISO({ suppressMilliseconds: true })!;
  const transactionId = `4200${digitsOf(order.orderId, 24)}`;
  const resource =
    refund === null
      ? {
          appid: wechatpay.appid,
          mchid: wechatpay.mchid,
          out_trade_no: order.orderId,
          transaction_id: transactionId,
          trade_type: "NATIVE",
          trade_state: "SUCCESS",
          trade_state_desc: "支付成功",
          success_time: now,
          amount: {
            total: order.amount.amount,
            payer_total: order.amount.amount,
            currency: order.amount.currency,
          },
        }
      : {
          mchid: wechatpay.mchid,
          out_trade_no: order.orderId,
          transaction_id: transactionId,
          out_refund_no: `sim_rf_${randomBytes(4).toString("hex")}`,
          refund_id: `5030${randomBytes(10).toString("hex")}`,
          refund_status: "SUCCESS",
          success_time: now,
          amount: {
            total: order.amount.amount,
            refund,
            payer_total: order.amount.amount,
            payer_refund: refund,
          },
        };
  const body = wechatpayNotificationBody(
    refund === null ? "TRANSACTION.SUCCESS" : "REFUND.SUCCESS",
    resource,
    wechatpay.apiV3Key,
    {
      createTime: now,
    },
  );
  return {
    path: "/v1/payments/wechatpay/notify",
    body,
    headers: wechatpaySignatureHeaders(
      body,
      wechatpay.publicKeyId,
      wechatpay.privateKey,
      Math.floor(Date.now() / 1000),
    ),
  };
}
