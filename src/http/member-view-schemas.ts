import { Type } from "@sinclair/typebox";
import { NullableTime, OPEN, ReasonSchema, Time } from "./schemas.js";

/**
 * Response schemas of the member views the web UI reads (entitlements, timeline, holds), so the
 * OpenAPI document types them for the SDK and the web client. Objects stay OPEN
 * (`additionalProperties`) so a field added to a view is sent before its schema catches up.
 */

const MembershipEntry = Type.Object(
  {
    id: Type.String(),
    tier: Type.String(),
    status: Type.Union(
      ["active", "in_grace", "scheduled", "expired", "revoked", "upgraded"].map((s) => Type.Literal(s)),
    ),
    startsAt: Time,
    expiresAt: Time,
    graceEndsAt: NullableTime,
    sourceOrderId: Type.String(),
  },
  OPEN,
);

const Quota = Type.Object(
  {
    limit: Type.Number(),
    unit: Type.String(),
    used: Type.Number(),
    remaining: Type.Number(),
    period: Type.Union([Type.String(), Type.Null()]),
    anchor: Type.Union([Type.String(), Type.Null()]),
    resetAt: NullableTime,
  },
  OPEN,
);

const BenefitEntitlement = Type.Object(
  {
    benefit: Type.String(),
    kind: Type.String(),
    state: Type.Union(
      ["active", "scheduled", "needs_claim", "toggled_off", "on_hold", "expired", "not_included"].map((s) =>
        Type.Literal(s),
      ),
    ),
    effectiveFrom: NullableTime,
    expiresAt: NullableTime,
    quota: Type.Optional(Quota),
    reasons: Type.Array(ReasonSchema),
  },
  OPEN,
);

export const EntitlementsSchema = Type.Object(
  {
    memberId: Type.String(),
    entitlementsVersion: Type.Integer(),
    memberships: Type.Array(MembershipEntry),
    scheduledChanges: Type.Array(
      Type.Object(
        {
          kind: Type.String(),
          fromTier: Type.String(),
          toTier: Type.String(),
          at: Time,
          membershipId: Type.String(),
        },
        OPEN,
      ),
    ),
    benefits: Type.Array(BenefitEntitlement),
  },
  { ...OPEN, $id: "Entitlements" },
);

export const TimelineSchema = Type.Object(
  {
    memberId: Type.String(),
    entries: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          at: Time,
          kind: Type.String(),
          source: Type.String(),
          data: Type.Record(Type.String(), Type.Unknown()),
        },
        OPEN,
      ),
    ),
  },
  OPEN,
);

/** A hold as its member sees it (memberHoldView): no evidence, no agent's note. */
export const MemberHoldSchema = Type.Object(
  {
    holdId: Type.String(),
    reason: Type.String(),
    benefits: Type.Union([Type.Array(Type.String()), Type.Null()]),
    status: Type.String(),
    clearMethod: Type.String(),
    placedAt: Time,
    clearedAt: NullableTime,
  },
  OPEN,
);

export const MemberHoldsSchema = Type.Object({ holds: Type.Array(MemberHoldSchema) }, OPEN);
