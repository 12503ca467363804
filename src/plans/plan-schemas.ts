/** Response schemas of the plans routes (GET /v1/plans, GET /v1/me/plans). */
import { Type } from "@sinclair/typebox";
import { ExplainedCatalogChangeSchema } from "../catalog/catalog-response-schemas.js";
import { RULE_KINDS } from "../engine/rule-explainer.js";
import { Money, Nullable, NullableTime, OneOf, Time } from "../http/schemas.js";

const Rule = Type.Object({
  rule: OneOf(RULE_KINDS, { description: "The kind of rule the sentence states (docs/plans.md)" }),
  text: Type.String(),
});
const Rules = Type.Array(Rule);
const Change = Type.Object({
  version: Type.Integer(),
  effectiveFrom: Time,
  ...ExplainedCatalogChangeSchema.properties,
});

const plansProperties = {
  locale: OneOf(["en", "zh-CN"] as const),
  timezone: Type.String({ description: "The time zone the sentences' times are in" }),
  catalog: Type.Object({ version: Type.Integer(), effectiveFrom: Time }),
  tiers: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      rank: Type.Integer(),
      benefits: Type.Array(Type.String()),
      plans: Type.Array(
        Type.Object({
          code: Type.String(),
          tier: Type.String(),
          period: Type.String(),
          price: Money,
          gracePeriod: Nullable(Type.String()),
          rules: Rules,
        }),
      ),
    }),
  ),
  benefits: Type.Array(
    Type.Object({
      code: Type.String(),
      kind: Type.String(),
      name: Type.String(),
      description: Nullable(Type.String()),
      tiers: Type.Array(Type.String()),
      summary: Type.String(),
      rules: Rules,
    }),
  ),
  coupons: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), rules: Rules })),
  changes: Type.Array(Change, { description: "The latest changes members read differently, newest first" }),
};

export const PlansSchema = Type.Object(plansProperties);

export const MemberPlansSchema = Type.Object({
  ...plansProperties,
  member: Type.Object({
    memberId: Type.String(),
    tier: Nullable(Type.String()),
    memberships: Type.Array(
      Type.Object({
        tier: Type.String(),
        status: Type.String(),
        startsAt: Time,
        expiresAt: Time,
        graceEndsAt: NullableTime,
      }),
    ),
  }),
  offers: Type.Array(
    Type.Object({
      plan: Type.String(),
      tier: Type.String(),
      effect: OneOf(["new", "extend", "upgrade", "downgrade_scheduled"] as const),
      price: Money,
      startsAt: Time,
      credit: Nullable(Money),
      creditMs: Nullable(Type.Integer()),
      adds: Type.Array(Type.String()),
      loses: Type.Array(Type.String()),
    }),
  ),
});
