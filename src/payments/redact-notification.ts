import type { ReceivedNotification } from "./payment-event.js";

/** Headers that carry credentials: never shown. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$|token|secret/i;
/** Headers and form fields that carry a signature: shortened, so support can tell them apart. */
const SIGNATURE_HEADERS = new Set(["wechatpay-signature", "stripe-signature", "webhook-signature"]);
const SIGNATURE_FIELDS = new Set(["sign"]);

const shortened = (value: string) => (value.length <= 12 ? "…" : `${value.slice(0, 8)}…(${value.length})`);

/**
 * A provider's notification (or query answer) as support and the member see it: credentials left
 * out, signatures shortened (what was verified is in `verification`), the rest exactly as received.
 * The stored notification (payment_events) keeps every byte.
 */
export function redactNotification(notification: ReceivedNotification): ReceivedNotification {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(notification.headers)) {
    if (CREDENTIAL_HEADERS.test(name)) continue;
    headers[name] = SIGNATURE_HEADERS.has(name.toLowerCase()) ? shortened(value) : value;
  }
  return { ...notification, headers, body: redactedBody(notification.body) };
}

/** A form body's signature fields shortened; any other body as it came. */
function redactedBody(body: string): string {
  if (!/(^|&)sign=/.test(body)) return body;
  const params = new URLSearchParams(body);
  for (const field of SIGNATURE_FIELDS) {
    const value = params.get(field);
    if (value !== null) params.set(field, shortened(value));
  }
  return params.toString();
}
