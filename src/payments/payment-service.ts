import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Webhook } from "standardwebhooks";
import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError, type Refusal } from "../errors.js";
import type { MemberWrites, TimelineChange } from "../members/member-writes.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { unstorableStrings } from "../unstorable-strings.js";
import { MAX_MINOR_UNITS } from "./money.js";
import { applyPaymentEvent } from "./payment-application.js";
import type { PaymentEvent, ReceivedNotification } from "./payment-event.js";
import type { PaymentOutcome } from "./payment-event-store.js";
import type { IntakeOutcome, ProviderAdapter, RawHeaders } from "./provider-adapter.js";
import { verifyWebhook, type WebhookHeaders } from "./verify-webhook.js";

const MinorUnits = Type.Integer({ minimum: 0, maximum: MAX_MINOR_UNITS, description: "minor units" });

/** Money `{amount, currency}`; a bare integer (the original form) is in the order's currency. */
export const EventAmountSchema = Type.Union(
  [
    Type.Object(
      { amount: MinorUnits, currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO-4217" }) },
      { additionalProperties: false },
    ),
    MinorUnits,
  ],
  { description: "Money in minor units with its currency; a bare integer means the order's currency." },
);

export const PaymentEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal("payment.succeeded"), Type.Literal("payment.refunded")]),
    data: Type.Object(
      {
        orderId: Type.String({ minLength: 1, maxLength: 128 }),
        amount: EventAmountSchema,
        paidAt: Type.Optional(Type.String({ minLength: 10, maxLength: 64 })),
        providerRef: Type.Optional(Type.String({ maxLength: 256 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const paymentEventCheck = TypeCompiler.Compile(PaymentEventSchema);

/** The outcomes a payment event is answered with; mismatches and unknown orders are refusals. */
export type AnsweredPaymentOutcome =
  | Exclude<PaymentOutcome, "amount_mismatch" | "currency_mismatch" | "unknown_order">
  | "duplicate";

/** What a payment event did (a redelivery: `duplicate`, and nothing changed). */
export interface PaymentReceipt {
  webhookId: string;
  outcome: AnsweredPaymentOutcome;
  orderId: string | null;
  entitlementsVersion?: number;
}

/** An event applied (or answered as its first delivery was), or refused with what was recorded. */
export type PaymentResult = { kind: "answered"; receipt: PaymentReceipt } | Refusal;

/** One event for the application path: its idempotency key, the event, and what arrived. */
export interface IncomingPaymentEvent {
  key: string;
  event: PaymentEvent;
  /** What is stored as the event's payload: the signed body for Standard Webhooks, else the event. */
  payload?: unknown;
  notification?: ReceivedNotification | null;
}

/** The transaction's result: what this delivery did, or what the first delivery of its id did. */
type Received =
  | { kind: "first"; outcome: PaymentOutcome; version?: number }
  | { kind: "duplicate"; firstOutcome: PaymentOutcome; orderId: string | null };

export interface PaymentServiceOptions {
  /** The Standard Webhooks secret (`whsec_…`) the generic endpoint verifies with. */
  secret: string;
  catalog: CatalogService;
  writes: MemberWrites;
  clock: Clock;
  /** Told, after the commit, how long an applied payment took from receipt to committed grants. */
  onGranted?: (webhookId: string, ms: number) => void;
}

/**
 * Payment notifications: verified, recorded once, and applied in the same transaction as the grants.
 * The Standard Webhooks endpoint and every provider's adapter feed `apply`.
 */
export class PaymentService {
  private readonly webhook: Webhook;
  private readonly catalog: CatalogService;
  private readonly writes: MemberWrites;
  private readonly clock: Clock;
  private readonly onGranted: (webhookId: string, ms: number) => void;

  constructor(options: PaymentServiceOptions) {
    this.webhook = new Webhook(options.secret);
    this.catalog = options.catalog;
    this.writes = options.writes;
    this.clock = options.clock;
    this.onGranted = options.onGranted ?? (() => {});
  }

  /** A Standard Webhooks event: a refusal is thrown, as this endpoint always answered it. */
  async receive(rawBody: string, headers: WebhookHeaders): Promise<PaymentReceipt> {
    const receivedAt = performance.now();
    const webhookId = verifyWebhook(this.webhook, rawBody, headers, this.clock.now());
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new AppError("MALFORMED_BODY", "The payment event is not valid JSON.");
    }
    if (!paymentEventCheck.Check(parsed)) {
      const details = [...paymentEventCheck.Errors(parsed)].map((e) => ({
        path: e.path,
        message: e.message,
      }));
      throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", details);
    }
    const { type, data } = parsed;
    const problems = unstorableStrings(parsed);
    if (data.paidAt !== undefined && parseIsoDateTime(data.paidAt) === null) {
      problems.push({ path: "/data/paidAt", message: "must be an ISO-8601 date-time with an offset" });
    }
    if (problems.length > 0)
      throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", problems);
    const amount = typeof data.amount === "number" ? { amount: data.amount, currency: null } : data.amount;
    const event: PaymentEvent =
      type === "payment.succeeded"
        ? { type, orderId: data.orderId, amount, paidAt: data.paidAt, providerRef: data.providerRef }
        : // This endpoint's refunds have always been whole: the order is refunded.
          { type, orderId: data.orderId, amount, full: true, providerRef: data.providerRef };
    const result = await this.apply({ key: webhookId, event, payload: parsed }, receivedAt);
    if (result.kind === "refused") throw new AppError(result.code, result.message, result.details);
    return result.receipt;
  }

  /**
   * A provider's own notification: its adapter (null: the provider is not configured) verifies and
   * translates it, then `apply` records and applies the event in one transaction — so the provider
   * is acknowledged only once the grants are committed. Nothing is written for a refused one.
   */
  async receiveNotification(
    adapter: ProviderAdapter | null,
    rawBody: string,
    headers: RawHeaders,
  ): Promise<IntakeOutcome> {
    const receivedAt = performance.now();
    if (!adapter) return { kind: "not_configured" };
    const verdict = adapter.translate(rawBody, headers, this.clock.now());
    if (verdict.kind === "refused") return { kind: "refused", refusal: verdict, written: false };
    if (verdict.kind === "ignored") return verdict;
    const { key, event, notification } = verdict.translated;
    return { kind: "applied", result: await this.apply({ key, event, notification }, receivedAt) };
  }

  /**
   * Records the event under its key unless the key was seen, and applies it in the same
   * transaction; a redelivery changes nothing and is answered as the first delivery was.
   */
  async apply(incoming: IncomingPaymentEvent, receivedAt = performance.now()): Promise<PaymentResult> {
    const { key, event } = incoming;
    const amount = "amount" in event ? event.amount : null;
    const result = await this.writes.run(async (scope): Promise<Received> => {
      const now = this.clock.now();
      const fresh = await scope.stores.payments.insertIfNew({
        webhookId: key,
        orderId: event.orderId,
        type: event.type,
        amount: amount?.amount ?? null,
        currency: amount?.currency ?? null,
        outcome: "applied",
        payload: incoming.payload ?? event,
        provider: incoming.notification?.provider ?? "standard_webhooks",
        notification: incoming.notification ?? null,
        receivedAt: new Date(now),
      });
      if (!fresh) {
        // A redelivery: answer as the first delivery was answered, and change nothing.
        const first = await scope.stores.payments.get(key);
        return {
          kind: "duplicate",
          firstOutcome: first?.outcome ?? "applied",
          orderId: first?.orderId ?? null,
        };
      }
      const received = (outcome: PaymentOutcome): TimelineChange => ({
        kind: event.type,
        data: {
          webhookId: key,
          orderId: event.orderId,
          ...(amount && { amount }),
          ...(incoming.notification && { provider: incoming.notification.provider }),
          outcome,
        },
      });
      const outcome = await applyPaymentEvent(scope, this.catalog, event, now, received);
      // An applied event is on the timeline with what it changed; any other outcome on its own.
      if (outcome.memberId && outcome.outcome !== "applied") {
        await scope.record(outcome.memberId, "payment_provider", received(outcome.outcome));
      }
      if (outcome.outcome !== "applied") await scope.stores.payments.setOutcome(key, outcome.outcome);
      return { kind: "first", outcome: outcome.outcome, version: outcome.version };
    });
    const outcome = result.kind === "first" ? result.outcome : result.firstOutcome;
    const refusal = refusalOf(outcome, event.orderId);
    if (refusal) return refusal;
    if (result.kind === "duplicate")
      return { kind: "answered", receipt: { webhookId: key, outcome: "duplicate", orderId: result.orderId } };
    if (outcome === "applied" && event.type === "payment.succeeded")
      this.onGranted(key, performance.now() - receivedAt);
    const receipt: PaymentReceipt = {
      webhookId: key,
      outcome: outcome as AnsweredPaymentOutcome,
      orderId: event.orderId,
      entitlementsVersion: result.version,
    };
    return { kind: "answered", receipt };
  }
}

/** The refusal an outcome is answered with; null for the outcomes that are answers. */
function refusalOf(outcome: PaymentOutcome, orderId: string): Refusal | null {
  switch (outcome) {
    case "amount_mismatch":
      return {
        kind: "refused",
        code: "AMOUNT_MISMATCH",
        message:
          "The paid amount differs from the order's amount; the event was recorded and nothing was granted.",
        details: [{ path: "/data/amount", message: "does not match the order", orderId }],
      };
    case "currency_mismatch":
      return {
        kind: "refused",
        code: "AMOUNT_MISMATCH",
        message:
          "The payment's currency differs from the order's currency; the event was recorded and nothing was granted.",
        details: [{ path: "/data/amount/currency", message: "does not match the order's currency", orderId }],
      };
    case "unknown_order":
      return {
        kind: "refused",
        code: "ORDER_NOT_FOUND",
        message: `Order ${orderId} does not exist.`,
        details: [],
      };
    default:
      return null;
  }
}
