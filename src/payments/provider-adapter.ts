import type { Refusal } from "../errors.js";
import type { PaymentProvider, TranslatedNotification } from "./payment-event.js";

/** Request headers as the HTTP layer has them. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** What an adapter made of a notification, before anything is written. */
export type AdapterVerdict =
  /** Verified, ours, and meaning a payment event. */
  | { kind: "translated"; translated: TranslatedNotification }
  /** Verified and ours, but nothing to apply (a status we do not act on): acknowledged, nothing written. */
  | { kind: "ignored"; reason: string }
  /** Unverifiable, malformed or not ours: nothing written, and the provider is told it failed. */
  | Refusal;

/**
 * A provider's adapter: verifies the raw notification and translates it into an internal payment
 * event. Pure — no I/O, time passed in — so each provider's rules are tested on their own.
 */
export interface ProviderAdapter {
  readonly provider: PaymentProvider;
  translate(rawBody: string, headers: RawHeaders, nowMs: number): AdapterVerdict;
}

/** What a notification came to; the route picks the provider's answer from it. */
export type IntakeOutcome =
  | { kind: "not_configured" }
  | { kind: "ignored"; reason: string }
  | { kind: "refused"; refusal: Refusal; written: false }
  /** Applied, or answered as its first delivery was; a refusal here was recorded (a mismatch). */
  | { kind: "applied"; result: PaymentResult };

/** What the application path answered (payment-service.ts), as the intake outcome needs it. */
type PaymentResult = { kind: "answered" } | Refusal;

/** The headers worth keeping as evidence: all but credentials, each as one string. */
export function evidenceHeaders(headers: RawHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === "authorization" || name === "cookie") continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}
