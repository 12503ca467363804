import { Type } from "@sinclair/typebox";
import { OUTCOME_STATUS } from "../http/outcome-status.js";
import { errors, OneOf, OPEN } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { PaymentService } from "./payment-service.js";
import { PaymentEventSchema } from "./standard-webhook-event.js";

const PaymentReceiptSchema = Type.Object(
  {
    webhookId: Type.String(),
    outcome: OneOf(["applied", "already_applied", "ignored_after_refund", "duplicate"], {
      description: "duplicate: a redelivery of a webhook id already received; nothing changed",
    }),
    orderId: Type.Union([Type.String(), Type.Null()]),
    entitlementsVersion: Type.Optional(Type.Integer()),
  },
  OPEN,
);

/** The services these routes use. */
export interface PaymentRouteDeps {
  payments: PaymentService;
}

/** Payment notifications; registered in their own scope because the signature covers the raw body. */
export function registerPaymentRoutes(server: Server, { payments }: PaymentRouteDeps): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  server.post(
    "/v1/payments/events",
    {
      schema: {
        tags: ["payments"],
        summary: "A payment provider's event, signed with Standard Webhooks",
        description:
          "Headers webhook-id, webhook-timestamp, webhook-signature; secret PERKWISE_PAYMENT_SECRET. Idempotent per webhook-id and per order.",
        body: PaymentEventSchema,
        response: { 200: PaymentReceiptSchema, ...errors(400, 401, 404, 422) },
        security: [],
      },
      // The raw body is verified and then validated by the service: the signature comes first.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const raw = typeof request.body === "string" ? request.body : "";
      const receipt = await payments.receive(raw, request.headers as Record<string, string>);
      return reply.status(OUTCOME_STATUS[receipt.outcome]).send(receipt);
    },
  );
}
