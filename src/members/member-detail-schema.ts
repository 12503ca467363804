/**
 * The answer of `GET /v1/members/{memberId}`: the member with memberships, grants, orders and holds
 * (member-views.ts). Objects stay OPEN, so a field added to a view is sent before its schema names it.
 */
import { Type } from "@sinclair/typebox";
import { NullableTime, OPEN, Time } from "../http/schemas.js";

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() }, OPEN);

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
  OPEN,
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
  OPEN,
);

/** An order (orderView). */
export const OrderSchema = Type.Object(
  {
    orderId: Type.String(),
    memberId: Type.String(),
    plan: Type.String(),
    tier: Type.String(),
    status: Type.Union(
      [
        Type.Literal("pending_payment"),
        Type.Literal("paid"),
        Type.Literal("refunded"),
        Type.Literal("closed"),
      ],
      { description: "closed: the provider closed it unpaid; refunded: refunded in full" },
    ),
    amount: Money,
    channel: Type.String(),
    catalogVersion: Type.Integer(),
    membershipId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Time,
    paidAt: NullableTime,
    refundedAt: NullableTime,
    refunded: { ...Money, description: "What has been refunded so far (a provider refunds in parts)" },
    upgrade: Type.Union([
      Type.Object({}, { ...OPEN, description: "Set when the order paid for an upgrade: what it replaced" }),
      Type.Null(),
    ]),
  },
  OPEN,
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
    orders: Type.Array(OrderSchema),
    holds: Type.Array(Type.Ref("Hold")),
  },
  { ...OPEN, $id: "MemberDetail" },
);
