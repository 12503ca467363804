import { timingSafeEqual } from "node:crypto";
import type { Webhook } from "standardwebhooks";
import { AppError } from "../errors.js";

/** Standard Webhooks allows ±5 minutes between the sender's clock and ours. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export interface WebhookHeaders {
  "webhook-id"?: string;
  "webhook-timestamp"?: string;
  "webhook-signature"?: string;
}

/**
 * Verifies a Standard Webhooks signature over the raw body against our clock (injectable, unlike the
 * library's own verify): a stale or future timestamp is a 400, a missing or wrong signature a 401.
 * Returns the webhook id.
 */
export function verifyWebhook(
  webhook: Webhook,
  rawBody: string,
  headers: WebhookHeaders,
  nowMs: number,
): string {
  const id = headers["webhook-id"];
  const timestampHeader = headers["webhook-timestamp"];
  const signatureHeader = headers["webhook-signature"];
  if (!id || !timestampHeader || !signatureHeader) {
    throw new AppError(
      "INVALID_SIGNATURE",
      "Missing webhook-id, webhook-timestamp or webhook-signature header.",
    );
  }
  if (id.length > 256) throw new AppError("INVALID_SIGNATURE", "webhook-id is too long.");
  const timestamp = /^\d{1,12}$/.test(timestampHeader) ? Number(timestampHeader) : Number.NaN;
  if (Number.isNaN(timestamp)) {
    throw new AppError("TIMESTAMP_OUT_OF_TOLERANCE", "webhook-timestamp must be Unix seconds.");
  }
  if (Math.abs(nowMs / 1000 - timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new AppError(
      "TIMESTAMP_OUT_OF_TOLERANCE",
      `webhook-timestamp is more than ${WEBHOOK_TOLERANCE_SECONDS} s away from the server's clock.`,
    );
  }
  const expected = Buffer.from(webhook.sign(id, new Date(timestamp * 1000), rawBody).slice(3));
  for (const candidate of signatureHeader.split(" ")) {
    const [version, signature] = candidate.split(",");
    if (version !== "v1" || !signature) continue;
    const given = Buffer.from(signature);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
  }
  throw new AppError("INVALID_SIGNATURE", "No webhook-signature matches the body.");
}
