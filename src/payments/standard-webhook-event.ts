import { type Static, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { AppError } from "../errors.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { unstorableStrings } from "../unstorable-strings.js";
import { MAX_MINOR_UNITS } from "./money.js";
import type { PaymentEvent } from "./payment-event.js";

/**
 * The body of a Standard Webhooks payment event (`POST /v1/payments/events`) and the internal event
 * it means: payments and refunds with their money, and disputes.
 */

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

const OrderId = Type.String({ minLength: 1, maxLength: 128 });
const ProviderRef = Type.Optional(Type.String({ maxLength: 256 }));
const DisputeId = Type.Optional(
  Type.String({ minLength: 1, maxLength: 256, description: "the provider's dispute id" }),
);

const MoneyEventSchema = Type.Object(
  {
    type: Type.Union([Type.Literal("payment.succeeded"), Type.Literal("payment.refunded")]),
    data: Type.Object(
      {
        orderId: OrderId,
        amount: EventAmountSchema,
        paidAt: Type.Optional(Type.String({ minLength: 10, maxLength: 64 })),
        providerRef: ProviderRef,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const DisputedEventSchema = Type.Object(
  {
    type: Type.Literal("payment.disputed", {
      description: "a chargeback: the member's benefits are held (agent-only `chargeback` hold)",
    }),
    data: Type.Object(
      {
        orderId: OrderId,
        amount: Type.Optional(EventAmountSchema),
        disputeId: DisputeId,
        reason: Type.Optional(Type.String({ maxLength: 256 })),
        providerRef: ProviderRef,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const DisputeClosedEventSchema = Type.Object(
  {
    type: Type.Literal("payment.dispute_closed", {
      description: "won: the chargeback hold is cleared; lost: also revoked like a full refund",
    }),
    data: Type.Object(
      { orderId: OrderId, won: Type.Boolean(), disputeId: DisputeId, providerRef: ProviderRef },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const PaymentEventSchema = Type.Union([
  MoneyEventSchema,
  DisputedEventSchema,
  DisputeClosedEventSchema,
]);
/** Each type's body checked on its own, so that the problems listed are that type's. */
const EVENT_CHECKS = {
  "payment.succeeded": TypeCompiler.Compile(MoneyEventSchema),
  "payment.refunded": TypeCompiler.Compile(MoneyEventSchema),
  "payment.disputed": TypeCompiler.Compile(DisputedEventSchema),
  "payment.dispute_closed": TypeCompiler.Compile(DisputeClosedEventSchema),
};
const paymentEventCheck = TypeCompiler.Compile(PaymentEventSchema);

/** The internal event of a parsed body; a malformed one is a VALIDATION_FAILED listing that type's problems. */
export function standardWebhookEvent(parsed: unknown): PaymentEvent {
  const type = (parsed as { type?: unknown } | null)?.type;
  const check =
    typeof type === "string" && Object.hasOwn(EVENT_CHECKS, type)
      ? EVENT_CHECKS[type as keyof typeof EVENT_CHECKS]
      : paymentEventCheck;
  if (!check.Check(parsed) || !paymentEventCheck.Check(parsed)) {
    const details = [...check.Errors(parsed)].map((e) => ({ path: e.path, message: e.message }));
    throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", details);
  }
  const problems = unstorableStrings(parsed);
  const paidAt = "paidAt" in parsed.data ? parsed.data.paidAt : undefined;
  if (paidAt !== undefined && parseIsoDateTime(paidAt) === null) {
    problems.push({ path: "/data/paidAt", message: "must be an ISO-8601 date-time with an offset" });
  }
  if (problems.length > 0)
    throw new AppError("VALIDATION_FAILED", "The payment event is malformed.", problems);
  return eventOf(parsed);
}

/** The internal event a validated Standard Webhooks body means. */
function eventOf(parsed: Static<typeof PaymentEventSchema>): PaymentEvent {
  const money = (amount: Static<typeof EventAmountSchema>) =>
    typeof amount === "number" ? { amount, currency: null } : amount;
  switch (parsed.type) {
    case "payment.succeeded": {
      const { data } = parsed;
      return {
        type: parsed.type,
        orderId: data.orderId,
        amount: money(data.amount),
        paidAt: data.paidAt,
        providerRef: data.providerRef,
      };
    }
    case "payment.refunded": {
      const { data } = parsed;
      // This endpoint's refunds have always been whole: the order is refunded.
      return {
        type: parsed.type,
        orderId: data.orderId,
        amount: money(data.amount),
        full: true,
        providerRef: data.providerRef,
      };
    }
    case "payment.disputed": {
      const { data } = parsed;
      return {
        type: parsed.type,
        orderId: data.orderId,
        ...(data.amount !== undefined && { amount: money(data.amount) }),
        disputeId: data.disputeId,
        reason: data.reason,
        providerRef: data.providerRef,
      };
    }
    case "payment.dispute_closed": {
      const { data } = parsed;
      return {
        type: parsed.type,
        orderId: data.orderId,
        won: data.won,
        disputeId: data.disputeId,
        providerRef: data.providerRef,
      };
    }
  }
}
