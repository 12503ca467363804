import type { FastifyReply, FastifyRequest } from "fastify";
import type { PaymentService } from "./payment-service.js";
import type { IntakeOutcome, ProviderAdapter } from "./provider-adapter.js";

/** How one provider is answered: for each intake outcome, and when nothing could be committed. */
export interface ProviderAnswers {
  answer(reply: FastifyReply, outcome: IntakeOutcome): FastifyReply;
  failed(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply;
}

/**
 * The route handler of a provider's notification endpoint: the raw body (the adapter verifies it
 * before anything is parsed), the one application path, and the provider's own answer.
 */
export function providerIntakeHandler(
  payments: PaymentService,
  adapter: ProviderAdapter | null,
  { answer, failed }: ProviderAnswers,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = typeof request.body === "string" ? request.body : "";
    let outcome: IntakeOutcome;
    try {
      outcome = await payments.receiveNotification(adapter, raw, request.headers);
    } catch (error) {
      return failed(request, reply, error);
    }
    return answer(reply, outcome);
  };
}
