import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { ERROR_STATUS } from "../http/error-status.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { PaymentService } from "./payment-service.js";
import type { IntakeOutcome, ProviderAdapter } from "./provider-adapter.js";
import { providerIntakeHandler } from "./provider-intake-handler.js";

export interface AlipayRouteDeps {
  payments: PaymentService;
  /** Alipay's adapter; null when not configured (the endpoint answers 404 PROVIDER_NOT_CONFIGURED). */
  alipay: ProviderAdapter | null;
}

/** Alipay stops retrying on exactly these seven characters; anything else is a failure to it. */
const SUCCESS = "success";
const FAIL = "fail";

const AlipayNotification = Type.Object(
  {
    notify_id: Type.String(),
    notify_type: Type.Literal("trade_status_sync"),
    app_id: Type.String({ description: "must be PERKWISE_ALIPAY_APP_ID" }),
    seller_id: Type.String({ description: "must be PERKWISE_ALIPAY_SELLER_ID" }),
    out_trade_no: Type.String({ description: "our order id" }),
    trade_no: Type.String({ description: "Alipay's trade number" }),
    trade_status: Type.String({
      description: "TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED (WAIT_BUYER_PAY: ignored)",
    }),
    total_amount: Type.String({ description: "yuan, e.g. 19.90" }),
    refund_fee: Type.Optional(Type.String({ description: "the total refunded so far, yuan" })),
    gmt_payment: Type.Optional(Type.String({ description: "Beijing time, yyyy-MM-dd HH:mm:ss" })),
    charset: Type.Literal("utf-8"),
    sign_type: Type.Literal("RSA2"),
    sign: Type.String(),
  },
  { additionalProperties: Type.String() },
);

/**
 * Alipay's asynchronous notifications, in a scope of their own: the signature covers the form as
 * sent, so the body is taken as text and parsed once by the adapter.
 */
export function registerAlipayRoutes(server: Server, { payments, alipay }: AlipayRouteDeps): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  server.post(
    "/v1/payments/alipay/notify",
    {
      schema: {
        tags: ["payments"],
        summary: "Alipay's asynchronous payment notification (notify_url)",
        description:
          "application/x-www-form-urlencoded, RSA2-signed with Alipay's public key (PERKWISE_ALIPAY_PUBLIC_KEY_FILE). " +
          "Answers exactly `success` once the event is committed (idempotent per trade and state), else `fail` " +
          "(Alipay retries). 404 PROVIDER_NOT_CONFIGURED when PERKWISE_ALIPAY_* are not set.",
        consumes: ["application/x-www-form-urlencoded"],
        produces: ["text/plain"],
        body: AlipayNotification,
        response: {
          200: Type.String({ description: "`success`" }),
          400: Type.String({ description: "`fail`: malformed, not ours, or a wrong amount" }),
          401: Type.String({ description: "`fail`: the signature does not verify" }),
          ...errors(404),
          415: Type.String({ description: "`fail`: not form-encoded" }),
          422: Type.String({ description: "`fail`: the amount or currency differs from the order's" }),
        },
        security: [],
      },
      // The adapter verifies the raw form first; a schema check must not come before the signature.
      validatorCompiler: () => () => true,
    },
    providerIntakeHandler(payments, alipay, { answer, failed }),
  );
}

function answer(reply: FastifyReply, outcome: IntakeOutcome) {
  reply.type("text/plain; charset=utf-8");
  switch (outcome.kind) {
    case "not_configured":
      throw new AppError("PROVIDER_NOT_CONFIGURED", "Alipay is not configured on this server.");
    case "ignored":
      return reply.send(SUCCESS);
    case "refused":
      return reply.status(ERROR_STATUS[outcome.refusal.code]).send(FAIL);
    case "applied":
      if (outcome.result.kind === "refused")
        return reply.status(ERROR_STATUS[outcome.result.code]).send(FAIL);
      return reply.send(SUCCESS);
  }
}

/** Nothing was committed: Alipay is told `fail` and retries; the error is logged for the operator. */
function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  request.log.error({ err: error }, "alipay notification failed");
  const status = error instanceof AppError ? ERROR_STATUS[error.code] : ERROR_STATUS.INTERNAL;
  return reply.type("text/plain; charset=utf-8").status(status).send(FAIL);
}
