/**
 * Notifications signed exactly as each provider signs them — for `perkwise simulate-payment` against
 * the demo and for the tests' simulators. The keys are the provider's side (the demo generates them;
 * a real provider never hands its private key out), so nothing here runs in a production intake.
 */
import { createCipheriv, createHash, createHmac, createSign, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { moneyToStripe } from "../payments/money.js";

/**
 * Alipay's notification signature: every field but `sign` and `sign_type`, sorted by key in ASCII
 * order, joined as `k=v` with `&` (values not encoded), SHA256withRSA with Alipay's private key,
 * base64. The form body is these fields URL-encoded once.
 */
export function alipaySignedContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== "sign" && k !== "sign_type")
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

/** The fields with `sign_type` and `sign` (RSA2) added. */
export function signAlipayFields(params: Record<string, string>, privateKey: string): Record<string, string> {
  const sign = createSign("RSA-SHA256")
    .update(alipaySignedContent(params), "utf8")
    .sign(privateKey, "base64");
  return { ...params, sign_type: "RSA2", sign };
}

/** WeChat Pay's resource encryption: AES-256-GCM under the APIv3 key, the 16-byte tag after the ciphertext. */
export function wechatpayEncrypt(plaintext: string, associatedData: string, nonce: string, apiV3Key: string) {
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  return Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]).toString(
    "base64",
  );
}

/** A WeChat Pay APIv3 notification body (JSON as WeChat Pay lays it out) for an event and its resource. */
export function wechatpayNotificationBody(
  eventType: string,
  resource: Record<string, unknown>,
  apiV3Key: string,
  options: { id?: string; associatedData?: string; createTime?: string } = {},
): string {
  const originalType = eventType.startsWith("REFUND.") ? "refund" : "transaction";
  const associatedData = options.associatedData ?? originalType;
  const nonce = randomBytes(6).toString("hex");
  return JSON.stringify({
    id: options.id ?? `EV-${randomBytes(8).toString("hex")}`,
    create_time: options.createTime ?? "2026-11-24T10:00:06+08:00",
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary: eventType.startsWith("REFUND.") ? "退款成功" : "支付成功",
    resource: {
      original_type: originalType,
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: wechatpayEncrypt(JSON.stringify(resource), associatedData, nonce, apiV3Key),
      associated_data: associatedData,
      nonce,
    },
  });
}

/** The headers WeChat Pay sends with a body: SHA256withRSA over `timestamp\nnonce\nbody\n`. */
export function wechatpaySignatureHeaders(
  body: string,
  serial: string,
  privateKey: string,
  timestampS: number,
  nonce = randomBytes(16).toString("hex"),
): Record<string, string> {
  const signature = createSign("RSA-SHA256")
    .update(`${timestampS}\n${nonce}\n${body}\n`)
    .sign(privateKey, "base64");
  return {
    "content-type": "application/json",
    "wechatpay-timestamp": String(timestampS),
    "wechatpay-nonce": nonce,
    "wechatpay-signature": signature,
    "wechatpay-serial": serial,
    "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048",
  };
}

/** The headers of a Standard Webhooks event (what `POST /v1/payments/events` verifies), signed now unless `at` is given. */
export function standardWebhookHeaders(
  secret: string,
  webhookId: string,
  body: string,
  at = new Date(),
): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, at, body),
  };
}

/** A stable Stripe-looking id (`pi_…`, `ch_…`) for a seed: the same order always has the same objects. */
export function stripeObjectId(prefix: string, seed: string): string {
  return `${prefix}_${createHash("sha256").update(seed).digest("hex").slice(0, 24)}`;
}

/** A Checkout Session (mode payment) for an order; amount in ISO minor units, written as Stripe writes it. */
export function stripeCheckoutSession(
  f: { orderId: string; amount: number; currency: string; paymentStatus?: string },
  via: "metadata" | "client_reference_id" = "metadata",
): Record<string, unknown> {
  const money = moneyToStripe({ amount: f.amount, currency: f.currency });
  return {
    id: stripeObjectId("cs_test", f.orderId),
    object: "checkout.session",
    amount_subtotal: money.amount,
    amount_total: money.amount,
    client_reference_id: via === "client_reference_id" ? f.orderId : null,
    currency: money.currency,
    customer: null,
    livemode: false,
    metadata: via === "metadata" ? { perkwise_order_id: f.orderId } : {},
    mode: "payment",
    payment_intent: stripeObjectId("pi", f.orderId),
    payment_status: f.paymentStatus ?? "paid",
    status: "complete",
  };
}

/** The order's charge with `refunded` (ISO minor units) refunded so far; our metadata copied from its PaymentIntent. */
export function stripeCharge(f: {
  orderId: string;
  amount: number;
  currency: string;
  refunded: number;
  metadata?: boolean;
}): Record<string, unknown> {
  const money = moneyToStripe({ amount: f.amount, currency: f.currency });
  const refunded = moneyToStripe({ amount: f.refunded, currency: f.currency }).amount;
  return {
    id: stripeObjectId("ch", f.orderId),
    object: "charge",
    amount: money.amount,
    amount_captured: money.amount,
    amount_refunded: refunded,
    captured: true,
    currency: money.currency,
    disputed: false,
    metadata: f.metadata === false ? {} : { perkwise_order_id: f.orderId },
    paid: true,
    payment_intent: stripeObjectId("pi", f.orderId),
    refunded: refunded === money.amount,
    status: "succeeded",
  };
}

/** A Stripe event as Stripe lays it out (a snapshot event of the endpoint's API version). */
export function stripeEventBody(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; createdS: number },
): string {
  return JSON.stringify(
    {
      id: options.id ?? `evt_${randomBytes(12).toString("hex")}`,
      object: "event",
      api_version: "2026-10-28.endive",
      created: options.createdS,
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    },
    null,
    2,
  );
}

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>`, v1 = HMAC-SHA256 of `<t>.<raw body>` under the endpoint's
 * whole `whsec_…` secret — what the stripe package's generateTestHeaderString makes (the adapter's
 * test checks they agree).
 */
export function stripeSignatureHeader(payload: string, secret: string, timestampS: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampS}.${payload}`, "utf8").digest("hex");
  return `t=${timestampS},v1=${v1}`;
}
