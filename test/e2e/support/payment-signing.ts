import { Webhook } from "standardwebhooks";
import { PAYMENT_SECRET, type TestServer } from "../../e2e-harness.js";

/** A Standard Webhooks signature over `raw`, as the provider would send it. */
export function signedHeaders(raw: string, nowMs: number, webhookId: string, secret = PAYMENT_SECRET) {
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(nowMs / 1000)),
    "webhook-signature": new Webhook(secret).sign(webhookId, new Date(nowMs), raw),
  };
}

/** Posts a payment event body signed with the right secret, however malformed the body is. */
export function postSigned(
  server: TestServer,
  raw: string,
  webhookId = `msg_${Math.random().toString(36).slice(2)}`,
) {
  return server.request("POST", "/v1/payments/events", {
    raw,
    auth: null,
    headers: signedHeaders(raw, server.clock.now(), webhookId),
  });
}

/** A well-formed secret that is not the one the server was given. */
export function otherSecret(): string {
  return `whsec_${Buffer.from("another-provider-secret-32-bytes").toString("base64")}`;
}
