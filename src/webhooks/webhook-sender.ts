import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { Webhook } from "standardwebhooks";
import { BlockedAddressError, isPublicAddress, literalAddress, publicOnlyLookup } from "./webhook-address.js";
import type { AttemptResult } from "./webhook-store.js";

/** The longest error text kept per attempt. */
const MAX_ERROR = 500;

/**
 * POSTs one signed delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Any 2xx is success; redirects are not followed (a 3xx is a failure), so a
 * registered URL cannot bounce deliveries elsewhere. Unless `allowPrivate`, only public addresses
 * are connected to (webhook-address.ts).
 */
export async function sendDelivery(
  target: { url: string; secret: string },
  message: { id: string; body: string },
  now: Date,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<AttemptResult> {
  const signature = new Webhook(target.secret).sign(message.id, now, message.body);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): AttemptResult => ({
    at: now,
    statusCode: null,
    latencyMs: elapsed(),
    error: error.slice(0, MAX_ERROR),
  });
  const url = new URL(target.url);
  const literal = literalAddress(url);
  if (!options.allowPrivate && literal !== null && !isPublicAddress(literal)) {
    return failed(new BlockedAddressError(url.hostname, literal).message);
  }
  try {
    const statusCode = await post(url, message.body, options, {
      "content-type": "application/json",
      "user-agent": "Perkwise-Webhooks/1",
      "webhook-id": message.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    });
    const ok = statusCode >= 200 && statusCode < 300;
    return { at: now, statusCode, latencyMs: elapsed(), error: ok ? null : `HTTP ${statusCode}` };
  } catch (error) {
    return failed(attemptError(error as Error, options.timeoutMs));
  }
}

/** The response's status; the timeout covers connecting, sending and the status line. */
function post(
  url: URL,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
  headers: OutgoingHttpHeaders,
): Promise<number> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        lookup: options.allowPrivate ? undefined : publicOnlyLookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        // The receiver's answer is not used: drain it without buffering.
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** What went wrong with an attempt, in words for the delivery log. */
function attemptError(error: Error, timeoutMs: number): string {
  const cause = (error as { cause?: Error }).cause;
  if (error.name === "TimeoutError" || cause?.name === "TimeoutError")
    return `timed out after ${timeoutMs} ms`;
  return cause ? `${error.message}: ${cause.message}` : error.message;
}
