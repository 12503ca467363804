import type { FastifyReply } from "fastify";
import { errorBody, type Refusal } from "../errors.js";
import { ERROR_STATUS } from "./error-status.js";

/**
 * The HTTP status of every outcome a service returns rather than throws: with ERROR_STATUS (thrown
 * errors and refusals, by code), the one place a status is chosen. Services return typed outcomes
 * (`{kind: …}`) and never a status.
 */
export const OUTCOME_STATUS = {
  /** A payment event: applied, already applied, ignored after a refund, or a redelivery. */
  applied: 200,
  already_applied: 200,
  ignored_after_refund: 200,
  duplicate: 200,
  /** A usage request consumed from the quota. */
  consumed: 200,
  /** Coupons locked to an order (or the same redemption again). */
  redeemed: 200,
} as const;

export type AnsweredOutcome = keyof typeof OUTCOME_STATUS;

/** Sends an outcome: a refusal as the documented error body, anything else as `body(outcome)`. */
export function sendOutcome<T extends { kind: AnsweredOutcome }>(
  reply: FastifyReply,
  outcome: T | Refusal,
  body: (answered: T) => unknown,
) {
  if (outcome.kind === "refused") {
    return reply
      .status(ERROR_STATUS[outcome.code])
      .send(errorBody(outcome.code, outcome.message, outcome.details));
  }
  return reply.status(OUTCOME_STATUS[outcome.kind]).send(body(outcome as T));
}
