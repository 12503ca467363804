import { Webhook } from "standardwebhooks";
import type { AttemptResult } from "./webhook-store.js";

/** The longest error text kept per attempt. */
const MAX_ERROR = 500;

/**
 * POSTs one signed delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Any 2xx is success; redirects are not followed (a 3xx is a failure), so a
 * registered URL cannot bounce deliveries elsewhere.
 */
export async function sendDelivery(
  target: { url: string; secret: string },
  message: { id: string; body: string },
  now: Date,
  timeoutMs: number,
): Promise<AttemptResult> {
  const signature = new Webhook(target.secret).sign(message.id, now, message.body);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Perkwise-Webhooks/1",
        "webhook-id": message.id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: message.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The receiver's answer is not used: do not wait for (or buffer) its body.
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return {
      at: now,
      statusCode: response.status,
      latencyMs: elapsed(),
      error: ok ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const name = (error as Error).name;
    const text =
      name === "TimeoutError"
        ? `timed out after ${timeoutMs} ms`
        : `${(error as Error).message}${(error as { cause?: Error }).cause ? `: ${(error as { cause: Error }).cause.message}` : ""}`;
    return { at: now, statusCode: null, latencyMs: elapsed(), error: text.slice(0, MAX_ERROR) };
  }
}
