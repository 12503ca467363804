/**
 * Notifications signed exactly as each provider signs them — for `perkwise simulate-payment` against
 * the demo and for the tests' simulators. The keys are the provider's side (the demo generates them;
 * a real provider never hands its private key out), so nothing here runs in a production intake.
 */
import { createCipheriv, createSign, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

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
