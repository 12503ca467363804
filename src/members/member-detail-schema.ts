/**
 * The answer of `GET /v1/members/{memberId}`: the member with memberships, grants, orders and holds
 * (member-views.ts). Objects stay open, so a field added to a view is sent before its schema names it.
 */
import { Type } from "@sinclair/typebox";

const open = { additionalProperties: true } as const;
const Time = Type.String({ format: "date-time" });
const NullableTime = Type.Union([Time, Type.Null()]);
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() }, open);

const Membership = Type.Object(
  {
    id: Type.String(),
    tier: Type.String(),
    status: Type.String(),
    startsAt: Time,
    expiresAt: Time,
    graceEndsAt: NullableTime,
    sourceOrderId: Type.String({
      description: "The order that created it (an upgrade's order for an upgrade)",
    }),
    revokedAt: NullableTime,
    endedAt: NullableTime,
  },
  open,
);

const Grant = Type.Object(
  {
    id: Type.String(),
    benefit: Type.String(),
    tier: Type.String(),
    membershipId: Type.String({ description: "Its source: the membership, and through it the order" }),
    status: Type.String(),
    effectiveFrom: Time,
    expiresAt: Time,
    catalogVersion: Type.Integer(),
    claimedAt: NullableTime,
    toggledOn: Type.Boolean(),
    quotaUsed: Type.Number(),
    quotaResetsAt: NullableTime,
    endedAt: NullableTime,
    endReason: Type.Union([
      Type.String({ description: "expired, refunded, upgraded, revoked, …" }),
      Type.Null(),
    ]),
    rulesVersion: Type.Union([Type.Integer(), Type.Null()]),
    rulesUntil: NullableTime,
  },
  open,
);

const Order = Type.Object(
  {
    orderId: Type.String(),
    memberId: Type.String(),
    plan: Type.String(),
    tier: Type.String(),
    status: Type.String(),
    amount: Money,
    channel: Type.String(),
    catalogVersion: Type.Integer(),
    membershipId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Time,
    paidAt: NullableTime,
    refundedAt: NullableTime,
    upgrade: Type.Union([
      Type.Object({}, { ...open, description: "Set when the order paid for an upgrade: what it replaced" }),
      Type.Null(),
    ]),
  },
  open,
);

const Hold = Type.Object(
  {
    holdId: Type.String(),
    memberId: Type.String(),
    reason: Type.String(),
    benefits: Type.Union([Type.Array(Type.String()), Type.Null()]),
    status: Type.String(),
    clearMethod: Type.String(),
    note: Type.Union([Type.String(), Type.Null()]),
    placedBy: Type.String(),
    placedAt: Time,
    clearedBy: Type.Union([Type.String(), Type.Null()]),
    clearedAt: NullableTime,
    clearNote: Type.Union([Type.String(), Type.Null()]),
  },
  open,
);

export const MemberDetailSchema = Type.Object(
  {
    memberId: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    locale: Type.Union([Type.String(), Type.Null()]),
    timezone: Type.String(),
    entitlementsVersion: Type.Integer(),
    createdAt: Time,
    updatedAt: Time,
    memberships: Type.Array(Membership),
    grants: Type.Array(Grant),
    orders: Type.Array(Order),
    holds: Type.Array(Hold),
  },
  { ...open, $id: "MemberDetail" },
);
