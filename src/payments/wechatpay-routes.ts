import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { ERROR_STATUS } from "../http/error-status.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { PaymentService } from "./payment-service.js";
import type { IntakeOutcome, ProviderAdapter } from "./provider-adapter.js";
import { providerIntakeHandler } from "./provider-intake-handler.js";

export interface WechatPayRouteDeps {
  payments: PaymentService;
  /** WeChat Pay's adapter; null when not configured (the endpoint answers 404 PROVIDER_NOT_CONFIGURED). */
  wechatpay: ProviderAdapter | null;
}

/** WeChat Pay reads only the status: 2xx stops its retries; a failure carries this body. */
const failure = (message: string) => ({ code: "FAIL", message });
const Failure = Type.Object({ code: Type.Literal("FAIL"), message: Type.String() });

/**
 * WeChat Pay APIv3 notifications, in a scope of their own: the signature covers the body as sent,
 * so it is taken as text and never re-serialized.
 */
export function registerWechatPayRoutes(server: Server, { payments, wechatpay }: WechatPayRouteDeps): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  server.post(
    "/v1/payments/wechatpay/notify",
    {
      schema: {
        tags: ["payments"],
        summary: "WeChat Pay APIv3 payment and refund notifications",
        description:
          "Signed over `timestamp\\nnonce\\nbody\\n` (headers Wechatpay-Timestamp, -Nonce, -Signature, -Serial) with the " +
          "platform certificate or WeChat Pay public key the serial names (PERKWISE_WECHATPAY_PUBLIC_KEYS), ±5 min; the " +
          "resource decrypted with PERKWISE_WECHATPAY_APIV3_KEY. 204 once the event is committed (idempotent per " +
          'transaction, refund and state), else 4xx/5xx with {"code":"FAIL","message":…} (WeChat Pay retries). ' +
          "404 PROVIDER_NOT_CONFIGURED when PERKWISE_WECHATPAY_* are not set.",
        body: Type.Object({
          id: Type.String(),
          create_time: Type.String(),
          event_type: Type.String({
            description: "TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED",
          }),
          resource_type: Type.Literal("encrypt-resource"),
          summary: Type.Optional(Type.String()),
          resource: Type.Object({
            algorithm: Type.Literal("AEAD_AES_256_GCM"),
            ciphertext: Type.String(),
            nonce: Type.String(),
            associated_data: Type.Optional(Type.String()),
            original_type: Type.Optional(Type.String()),
          }),
        }),
        response: {
          204: Type.Null({ description: "committed (or a redelivery: nothing changed)" }),
          400: Failure,
          401: Failure,
          ...errors(404),
          422: Failure,
        },
        security: [],
      },
      // The adapter verifies the raw body first; a schema check must not come before the signature.
      validatorCompiler: () => () => true,
    },
    providerIntakeHandler(payments, wechatpay, { answer, failed }),
  );
}

function answer(reply: FastifyReply, outcome: IntakeOutcome) {
  switch (outcome.kind) {
    case "not_configured":
      throw new AppError("PROVIDER_NOT_CONFIGURED", "WeChat Pay is not configured on this server.");
    case "ignored":
      return reply.status(204).send();
    case "refused":
      return reply.status(ERROR_STATUS[outcome.refusal.code]).send(failure(outcome.refusal.message));
    case "applied":
      if (outcome.result.kind === "refused")
        return reply.status(ERROR_STATUS[outcome.result.code]).send(failure(outcome.result.message));
      // WeChat Pay's success answer: no body.
      return reply.status(204).send();
  }
}

/** Nothing was committed: WeChat Pay is told it failed and retries; the error is logged for the operator. */
function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  request.log.error({ err: error }, "wechatpay notification failed");
  const status = error instanceof AppError ? ERROR_STATUS[error.code] : ERROR_STATUS.INTERNAL;
  return reply.status(status).send(failure("The notification could not be processed; retry later."));
}
