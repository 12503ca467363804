import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import Stripe from "stripe";
import type { StripeConfig } from "../config.js";
import type { ErrorCode } from "../error-codes.js";
import type { ErrorDetail, Refusal } from "../errors.js";
import { unstorableStrings } from "../unstorable-strings.js";
import { moneyFromStripe } from "./money.js";
import type { PaymentEvent, TranslatedNotification } from "./payment-event.js";
import {
  type AdapterVerdict,
  evidenceHeaders,
  type ProviderAdapter,
  type RawHeaders,
} from "./provider-adapter.js";

/** Stripe's own default: a signature older than 5 minutes is a replay (newer ones are not refused). */
export const STRIPE_TOLERANCE_SECONDS = 300;
/** The metadata key (on Checkout Sessions, PaymentIntents and so their charges, invoices) naming our order. */
export const ORDER_METADATA_KEY = "perkwise_order_id";
/** Our order ids. */
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const Id = Type.String({ minLength: 1, maxLength: 255 });
const NullableId = Type.Union([Id, Type.Null()]);
/** An expanded object is not what a webhook sends, but its id is all that is used. */
const Ref = Type.Union([Id, Type.Object({ id: Id }), Type.Null()]);
const Metadata = Type.Record(Type.String(), Type.String());
const Envelope = Type.Object({
  id: Id,
  object: Type.Literal("event"),
  type: Type.String({ minLength: 1, maxLength: 128 }),
  created: Type.Integer({ minimum: 0 }),
  livemode: Type.Optional(Type.Boolean()),
  data: Type.Object({ object: Type.Object({ id: Id, object: Type.String() }) }),
});
const CheckoutSession = Type.Object({
  id: Id,
  object: Type.Literal("checkout.session"),
  payment_status: Type.String(),
  amount_total: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  client_reference_id: Type.Optional(NullableId),
  metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  payment_intent: Type.Optional(Ref),
});
const Invoice = Type.Object({
  id: Id,
  object: Type.Literal("invoice"),
  amount_paid: Type.Integer(),
  currency: Type.String(),
  metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  /** Before API version 2025-03-31 (basil): the subscription's metadata, and the PaymentIntent. */
  subscription_details: Type.Optional(
    Type.Union([Type.Object({ metadata: Type.Optional(Type.Union([Metadata, Type.Null()])) }), Type.Null()]),
  ),
  payment_intent: Type.Optional(Ref),
  /** Since 2025-03-31: the subscription's metadata moved here. */
  parent: Type.Optional(
    Type.Union([
      Type.Object({
        subscription_details: Type.Optional(
          Type.Union([
            Type.Object({ metadata: Type.Optional(Type.Union([Metadata, Type.Null()])) }),
            Type.Null(),
          ]),
        ),
      }),
      Type.Null(),
    ]),
  ),
});
const Charge = Type.Object({
  id: Id,
  object: Type.Literal("charge"),
  amount: Type.Integer(),
  amount_refunded: Type.Integer(),
  currency: Type.String(),
  refunded: Type.Optional(Type.Boolean()),
  metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  payment_intent: Type.Optional(Ref),
});
const Dispute = Type.Object({
  id: Id,
  object: Type.Literal("dispute"),
  amount: Type.Integer(),
  currency: Type.String(),
  status: Type.String({ maxLength: 64 }),
  reason: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
  charge: Ref,
  payment_intent: Type.Optional(Ref),
});
const checks = {
  envelope: TypeCompiler.Compile(Envelope),
  session: TypeCompiler.Compile(CheckoutSession),
  invoice: TypeCompiler.Compile(Invoice),
  charge: TypeCompiler.Compile(Charge),
  dispute: TypeCompiler.Compile(Dispute),
};

const refused = (code: ErrorCode, message: string, details: ErrorDetail[] = []): Refusal => ({
  kind: "refused",
  code,
  message,
  details,
});
const malformed = (path: string, message: string) =>
  refused("VALIDATION_FAILED", "The Stripe event is malformed.", [{ path, message }]);

type Translation =
  | { kind: "event"; key: string; event: PaymentEvent; orderByProviderRef?: string[] }
  | AdapterVerdict;

/**
 * Stripe's webhooks: `Stripe-Signature` verified over the raw body by the `stripe` package's
 * `webhooks.constructEvent` (HMAC-SHA256 of `t.body` with the endpoint's `whsec_` secret, any of the
 * `v1` signatures, at most 5 minutes old by our clock), then translated:
 *
 * | event | event |
 * |---|---|
 * | checkout.session.completed, payment_status paid | payment.succeeded (unpaid: the async payment is awaited) |
 * | checkout.session.async_payment_succeeded | payment.succeeded |
 * | invoice.paid | payment.succeeded |
 * | charge.refunded | payment.refunded, amount_refunded (cumulative), full when it is the whole charge |
 * | charge.dispute.created | payment.disputed |
 * | charge.dispute.closed | payment.dispute_closed (won, warning_closed: won; lost: lost) |
 *
 * The order is the metadata's `perkwise_order_id`, else a session's `client_reference_id`. A
 * charge carries its PaymentIntent's metadata (Stripe copies it when the charge is made); a dispute
 * carries none, only its charge and PaymentIntent ids, so its order is the one paid under that
 * PaymentIntent (and a charge without our metadata likewise). An event naming no order of ours is
 * acknowledged and ignored — the account may take other payments than Perkwise's.
 */
/**
 * A payment's key is its PaymentIntent (the Checkout Session or invoice without one): a session's
 * completion, its invoice, and a query that found the payment first (payment-query-service.ts's
 * `queriedPaymentKey`) are one payment, and whichever comes second changes nothing.
 */
const succeededKey = (providerRef: string) => `stripe:${providerRef}:succeeded`;

export class StripeAdapter implements ProviderAdapter {
  readonly provider = "stripe" as const;
  private readonly webhooks: Stripe["webhooks"];

  constructor(private readonly config: StripeConfig) {
    // The client makes no request until asked; webhooks verification needs none.
    this.webhooks = new Stripe(config.apiKey ?? "sk_unused_for_webhooks").webhooks;
  }

  translate(rawBody: string, headers: RawHeaders, nowMs: number): AdapterVerdict {
    const header = headers["stripe-signature"];
    if (typeof header !== "string" || header === "")
      return refused("INVALID_SIGNATURE", "The request has no Stripe-Signature header.");
    let parsed: unknown;
    try {
      parsed = this.webhooks.constructEvent(
        rawBody,
        header,
        this.config.webhookSecret,
        STRIPE_TOLERANCE_SECONDS,
        undefined,
        nowMs,
      );
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError))
        // Signed by Stripe, yet not JSON: nothing Stripe would send.
        return malformed("/", "is not JSON");
      if (/tolerance/i.test(error.message))
        return refused(
          "TIMESTAMP_OUT_OF_TOLERANCE",
          `Stripe-Signature is more than ${STRIPE_TOLERANCE_SECONDS} s old by the server's clock.`,
        );
      return refused(
        "INVALID_SIGNATURE",
        "No Stripe-Signature matches the body with this endpoint's secret.",
      );
    }
    if (!checks.envelope.Check(parsed)) return malformed("/", "is not a Stripe event");
    const unstorable = unstorableStrings({ body: rawBody, event: parsed });
    if (unstorable.length > 0)
      return refused("VALIDATION_FAILED", "The Stripe event is malformed.", unstorable);
    const translation = eventOf(parsed);
    if (translation.kind !== "event") return translation;
    const translated: TranslatedNotification = {
      key: translation.key,
      event: translation.event,
      notification: {
        provider: "stripe",
        body: rawBody,
        headers: evidenceHeaders(headers),
        verification: {
          verified: true,
          method: "Stripe-Signature v1 (stripe webhooks.constructEvent)",
          detail: `event ${parsed.id} (${parsed.type}), ${parsed.livemode ? "live" : "test"} mode`,
        },
      },
      ...(translation.orderByProviderRef && { orderByProviderRef: translation.orderByProviderRef }),
    };
    return { kind: "translated", translated };
  }
}

function eventOf(envelope: Static<typeof Envelope>): Translation {
  const object: unknown = envelope.data.object;
  const paidAt = new Date(envelope.created * 1000).toISOString();
  switch (envelope.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const sessionRead = read(checks.session, object, "checkout session");
      if (!("ok" in sessionRead)) return sessionRead;
      const session = sessionRead.ok;
      // Delayed methods (bank debits, vouchers) complete unpaid; async_payment_succeeded follows.
      if (session.payment_status !== "paid")
        return {
          kind: "ignored",
          reason: `checkout session ${session.id}: payment_status ${session.payment_status}`,
        };
      const orderId = orderIdOf(session.metadata, session.client_reference_id);
      if (orderId === null) return notOurs(session.id);
      if (orderId === undefined)
        return malformed("/data/object/metadata", "perkwise_order_id must be one of our order ids");
      const amount = moneyFromStripe(session.amount_total, session.currency);
      if (!amount)
        return malformed("/data/object/amount_total", "must be an amount in a lower-case currency");
      const providerRef = idOf(session.payment_intent) ?? session.id;
      return {
        kind: "event",
        key: succeededKey(providerRef),
        event: { type: "payment.succeeded", orderId, amount, paidAt, providerRef },
      };
    }
    case "invoice.paid": {
      const invoiceRead = read(checks.invoice, object, "invoice");
      if (!("ok" in invoiceRead)) return invoiceRead;
      const invoice = invoiceRead.ok;
      const orderId = orderIdOf(
        invoice.metadata?.[ORDER_METADATA_KEY] !== undefined
          ? invoice.metadata
          : (invoice.parent?.subscription_details?.metadata ?? invoice.subscription_details?.metadata),
      );
      if (orderId === null) return notOurs(invoice.id);
      if (orderId === undefined)
        return malformed("/data/object/metadata", "perkwise_order_id must be one of our order ids");
      const amount = moneyFromStripe(invoice.amount_paid, invoice.currency);
      if (!amount) return malformed("/data/object/amount_paid", "must be an amount in a lower-case currency");
      const providerRef = idOf(invoice.payment_intent) ?? invoice.id;
      return {
        kind: "event",
        key: succeededKey(providerRef),
        event: { type: "payment.succeeded", orderId, amount, paidAt, providerRef },
      };
    }
    case "charge.refunded": {
      const chargeRead = read(checks.charge, object, "charge");
      if (!("ok" in chargeRead)) return chargeRead;
      const charge = chargeRead.ok;
      const refundedAmount = moneyFromStripe(charge.amount_refunded, charge.currency);
      const chargeAmount = moneyFromStripe(charge.amount, charge.currency);
      if (!refundedAmount || !chargeAmount || refundedAmount.amount > chargeAmount.amount)
        return malformed("/data/object/amount_refunded", "must be an amount up to the charge's");
      if (refundedAmount.amount === 0)
        return { kind: "ignored", reason: `charge ${charge.id}: nothing refunded` };
      const event = {
        type: "payment.refunded" as const,
        amount: refundedAmount,
        // amount_refunded is cumulative: equal to the charge, the payment is refunded in full.
        full: charge.refunded === true || refundedAmount.amount === chargeAmount.amount,
        providerRef: idOf(charge.payment_intent) ?? charge.id,
      };
      return byOrder(`stripe:${charge.id}:refunded:${refundedAmount.amount}`, charge.metadata, charge, event);
    }
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const disputeRead = read(checks.dispute, object, "dispute");
      if (!("ok" in disputeRead)) return disputeRead;
      const dispute = disputeRead.ok;
      const charge = { id: idOf(dispute.charge) ?? dispute.id, payment_intent: dispute.payment_intent };
      const base = { disputeId: dispute.id, providerRef: idOf(dispute.payment_intent) ?? charge.id };
      if (envelope.type === "charge.dispute.created") {
        const amount = moneyFromStripe(dispute.amount, dispute.currency);
        if (!amount) return malformed("/data/object/amount", "must be an amount in a lower-case currency");
        const event = {
          type: "payment.disputed" as const,
          ...base,
          amount,
          ...(dispute.reason && { reason: dispute.reason }),
        };
        return byOrder(`stripe:${dispute.id}:disputed`, null, charge, event);
      }
      // warning_closed: an inquiry that never became a chargeback — nothing was taken back.
      const won = dispute.status === "won" || dispute.status === "warning_closed";
      if (!won && dispute.status !== "lost")
        return { kind: "ignored", reason: `dispute ${dispute.id}: status ${dispute.status}` };
      return byOrder(`stripe:${dispute.id}:closed`, null, charge, {
        type: "payment.dispute_closed",
        ...base,
        won,
      });
    }
    default:
      return { kind: "ignored", reason: `event type ${envelope.type}` };
  }
}

type Unplaced<E> = E extends PaymentEvent ? Omit<E, "orderId"> : never;

/** The event for the order the metadata names, else for the order paid under the charge's PaymentIntent. */
function byOrder(
  key: string,
  metadata: Record<string, string> | null | undefined,
  charge: { id: string; payment_intent?: Static<typeof Ref> },
  event: Unplaced<PaymentEvent>,
): Translation {
  const orderId = orderIdOf(metadata);
  if (orderId === undefined)
    return malformed("/data/object/metadata", "perkwise_order_id must be one of our order ids");
  if (orderId !== null) return { kind: "event", key, event: { ...event, orderId } as PaymentEvent };
  const refs = [idOf(charge.payment_intent), charge.id].filter(
    (ref): ref is string => typeof ref === "string",
  );
  return { kind: "event", key, event: { ...event, orderId: "" } as PaymentEvent, orderByProviderRef: refs };
}

/** Our order id from the metadata (or a session's client_reference_id); null: none; undefined: not an order id. */
function orderIdOf(
  metadata: Record<string, string> | null | undefined,
  clientReferenceId?: string | null,
): string | null | undefined {
  const id = metadata?.[ORDER_METADATA_KEY] ?? clientReferenceId ?? null;
  if (id === null) return null;
  return ORDER_ID.test(id) ? id : undefined;
}

const idOf = (ref: Static<typeof Ref> | undefined): string | null =>
  ref === undefined || ref === null ? null : typeof ref === "string" ? ref : ref.id;

const notOurs = (id: string): AdapterVerdict => ({
  kind: "ignored",
  reason: `${id} names no Perkwise order`,
});

function read<T extends TSchema>(
  check: ReturnType<typeof TypeCompiler.Compile<T>>,
  value: unknown,
  what: string,
): { ok: Static<T> } | Refusal {
  if (check.Check(value)) return { ok: value };
  const first = check.Errors(value).First();
  return malformed(
    `/data/object${first?.path ?? ""}`,
    `is not a Stripe ${what}: ${first?.message ?? "malformed"}`,
  );
}
