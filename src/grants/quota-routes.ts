import { type TSchema, Type } from "@sinclair/typebox";
import { readerLocale } from "../http/accept-language.js";
import { sendOutcome } from "../http/outcome-status.js";
import { errors, MemberBenefitParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { QuotaService } from "./quota-service.js";

const UsageBody = Type.Object(
  {
    amount: Type.Integer({
      minimum: 1,
      maximum: 1e15,
      description: "How much to consume, in the quota's unit.",
    }),
    idempotencyKey: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "Unique per member and usage: a repeat with the same key gets the first answer again.",
    }),
  },
  { additionalProperties: false },
);

const UsageReceipt = Type.Object(
  {
    benefit: Type.String(),
    consumed: Type.Number(),
    used: Type.Number({ description: "Used in the current period, this request included." }),
    limit: Type.Number(),
    remaining: Type.Number(),
    unit: Type.String(),
    resetAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
      description: "When `used` goes back to 0; null for a quota that never resets.",
    }),
    entitlementsVersion: Type.Integer(),
  },
  { description: "The consumption, applied." },
);

/** Typed loosely on purpose: the handler answers 200 or 409 with the body the service chose. */
const usageResponses: Record<number, TSchema> = { 200: UsageReceipt, ...errors(400, 404, 409, 422) };

/** The services these routes use. */
export interface QuotaRouteDeps {
  quotas: QuotaService;
}

/** Metered quotas: the platform reports usage, Perkwise consumes it atomically or says why not. */
export function registerQuotaRoutes(server: Server, { quotas }: QuotaRouteDeps): void {
  server.post(
    "/v1/members/:memberId/benefits/:benefit/usage",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["members"],
        summary: "Consume from a member's quota, atomically and idempotently",
        description:
          "200 with the use after this request, or 409 QUOTA_EXHAUSTED (the period cannot hold `amount`) / " +
          "USAGE_DENIED (any other reason the decision gives); the error's details are the decision's " +
          "reasons. A repeat with the same idempotencyKey answers as the first time and consumes nothing; " +
          "the same key with another amount or benefit is 409 IDEMPOTENCY_CONFLICT. A benefit that is " +
          "not a quota is 422 BENEFIT_NOT_QUOTA.",
        params: MemberBenefitParams,
        body: UsageBody,
        response: usageResponses,
      },
    },
    async (request, reply) => {
      const { memberId, benefit } = request.params;
      const locale = readerLocale(request);
      const answer = await quotas.consume(memberId, benefit, request.body, locale);
      return sendOutcome(reply, answer, (consumed) => consumed.receipt);
    },
  );
}
