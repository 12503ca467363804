import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ErrorCode } from "../error-codes.js";
import { AppError, type ErrorDetail } from "../errors.js";
import { ERROR_STATUS } from "../http/error-status.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { PaymentService } from "./payment-service.js";
import type { IntakeOutcome, ProviderAdapter } from "./provider-adapter.js";
import { providerIntakeHandler } from "./provider-intake-handler.js";

export interface StripeRouteDeps {
  payments: PaymentService;
  /** Stripe's adapter; null when not configured (the endpoint answers 404 PROVIDER_NOT_CONFIGURED). */
  stripe: ProviderAdapter | null;
}

/** Stripe reads only the status: any 2xx stops its retries (for up to 3 days in live mode). */
const RECEIVED = { received: true } as const;

/**
 * Stripe's webhooks, in a scope of their own: the signature covers the body exactly as sent, so it
 * is taken as text and never re-serialized (the classic "No signatures found" mistake).
 */
export function registerStripeRoutes(server: Server, { payments, stripe }: StripeRouteDeps): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  server.post(
    "/v1/payments/stripe/webhook",
    {
      schema: {
        tags: ["payments"],
        summary: "Stripe webhook events (Checkout, invoices, refunds, disputes)",
        description:
          "Verified by the stripe package's webhooks.constructEvent over the raw body (Stripe-Signature, secret " +
          "PERKWISE_STRIPE_WEBHOOK_SECRET, at most 5 min old). checkout.session.completed (paid) and " +
          "checkout.session.async_payment_succeeded, invoice.paid → paid; charge.refunded → refunded (cumulative); " +
          "charge.dispute.created → a chargeback hold; charge.dispute.closed → cleared (won) or revoked (lost). " +
          "The order: metadata perkwise_order_id or client_reference_id. 200 once committed, ignored or a redelivery; " +
          "400 when the signature, its age or the event is wrong; 404/422 an unknown order or a wrong amount " +
          "(recorded); 5xx only when nothing could be committed (Stripe retries). 404 PROVIDER_NOT_CONFIGURED " +
          "when PERKWISE_STRIPE_WEBHOOK_SECRET is not set.",
        body: Type.Object({
          id: Type.String({ description: "evt_…" }),
          object: Type.Literal("event"),
          type: Type.String(),
          created: Type.Integer(),
          data: Type.Object({ object: Type.Object({}, { additionalProperties: true }) }),
        }),
        response: {
          200: Type.Object({ received: Type.Literal(true) }),
          ...errors(400, 404, 422, 500),
        },
        security: [],
      },
      // The adapter verifies the raw body first; a schema check must not come before the signature.
      validatorCompiler: () => () => true,
    },
    providerIntakeHandler(payments, stripe, { answer, failed }),
  );
}

function answer(reply: FastifyReply, outcome: IntakeOutcome) {
  switch (outcome.kind) {
    case "not_configured":
      throw new AppError("PROVIDER_NOT_CONFIGURED", "Stripe is not configured on this server.");
    case "ignored":
      return reply.send(RECEIVED);
    case "refused": {
      const { code, message, details } = outcome.refusal;
      // Stripe's convention: a webhook that fails verification is a 400 (the code still says why).
      return reply.status(400).send(errorBody(code, message, details));
    }
    case "applied": {
      if (outcome.result.kind === "refused") {
        const { code, message, details } = outcome.result;
        return reply.status(ERROR_STATUS[code]).send(errorBody(code, message, details));
      }
      return reply.send(RECEIVED);
    }
  }
}

const errorBody = (code: ErrorCode, message: string, details: ErrorDetail[]) => ({
  error: { code, message, details },
});

/** Nothing was committed: a 5xx, so Stripe retries; the error is logged for the operator. */
function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  request.log.error({ err: error }, "stripe webhook failed");
  if (error instanceof AppError && ERROR_STATUS[error.code] < 500)
    return reply.status(ERROR_STATUS[error.code]).send(errorBody(error.code, error.message, error.details));
  return reply
    .status(500)
    .send(errorBody("INTERNAL", "The event could not be processed; Stripe will retry it.", []));
}
