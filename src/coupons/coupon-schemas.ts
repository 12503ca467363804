/** Route schemas of coupons and redemptions: they validate input and document the API. */
import { type TLiteral, type TSchema, Type } from "@sinclair/typebox";
import { errors, MemberId } from "../http/schemas.js";
import { EXTERNAL_ID_PATTERN } from "../ids.js";
import { COUPON_STATES, type CouponState } from "./coupon-types.js";

export const CouponId = Type.String({
  pattern: "^[A-Za-z0-9_-]{1,64}$",
  description: "An issued coupon's id (`cpn_…`), random and unguessable.",
});
const OrderRef = Type.String({
  pattern: EXTERNAL_ID_PATTERN,
  description: "The platform's order reference: one redemption per order.",
});
const IsoOrNull = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const CouponParams = Type.Object({ couponId: CouponId }, { additionalProperties: false });
export const MemberCouponParams = Type.Object(
  { memberId: MemberId, couponId: CouponId },
  { additionalProperties: false },
);

const CouponItem = Type.Object({
  couponId: Type.String(),
  code: Type.String({ description: "The coupon template's code." }),
  name: Type.String({ description: "In the member's language." }),
  state: Type.Union(COUPON_STATES.map((s) => Type.Literal(s)) as [TLiteral<CouponState>], {
    description: "unclaimed, available, locked, used or expired",
  }),
  validFrom: Type.String({ format: "date-time" }),
  validUntil: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
    description: "While unclaimed: the claim deadline. null: no end.",
  }),
  claimedAt: IsoOrNull,
  orderRef: Type.Union([Type.String(), Type.Null()]),
  benefit: Type.Union([Type.String(), Type.Null()], {
    description: "The coupon_pack benefit that issued it.",
  }),
});

export const CouponList = Type.Object({ coupons: Type.Array(CouponItem) });
export const ClaimedCoupon = Type.Intersect([CouponItem, Type.Object({ alreadyClaimed: Type.Boolean() })]);

export const RedeemBody = Type.Object(
  {
    memberId: MemberId,
    orderRef: OrderRef,
    coupons: Type.Array(CouponId, { minItems: 1, maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export const OrderRefBody = Type.Object({ orderRef: OrderRef }, { additionalProperties: false });

const Redemption = Type.Object({
  orderRef: Type.String(),
  memberId: Type.String(),
  status: Type.Union([Type.Literal("locked"), Type.Literal("completed"), Type.Literal("released")]),
  coupons: Type.Array(Type.Object({ couponId: Type.String(), code: Type.String() })),
  lockedAt: Type.String({ format: "date-time" }),
  completedAt: IsoOrNull,
  releasedAt: IsoOrNull,
});

/** Typed loosely on purpose: the handler answers 200 or 409 with the body the service chose. */
export const redeemResponses: Record<number, TSchema> = {
  200: Type.Intersect([Redemption, Type.Object({ replayed: Type.Boolean() })]),
  ...errors(400, 404, 409),
};
export const redemptionResponses = { 200: Redemption, ...errors(400, 404, 409) };
