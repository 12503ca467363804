/** Route schemas of checkout evaluation: the request's cart and the documented answer. */
import { Type } from "@sinclair/typebox";
import { MemberId, Money } from "../http/schemas.js";
import { CouponId } from "./coupon-schemas.js";
import { COUPON_REASON_CODES, COUPON_REMEDY_ACTIONS, COUPON_STATES } from "./coupon-types.js";

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Details = Type.Record(Type.String(), Type.Unknown());
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const PositiveMoney = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: 1e12, description: "unit price in minor units" }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
  },
  { additionalProperties: false },
);

export const CartSchema = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          productId: Text(128),
          category: Type.Optional(Text(128)),
          price: PositiveMoney,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          onSale: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    channel: Type.Optional(Text(128)),
  },
  { additionalProperties: false },
);

const selection = {
  coupons: Type.Optional(
    Type.Array(CouponId, {
      maxItems: 100,
      description: "coupons the member selected; default: all they hold",
    }),
  ),
  at: Type.Optional(Type.String({ maxLength: 64, description: "ISO time; default now" })),
};

export const EvaluateBody = Type.Object(
  { memberId: MemberId, cart: CartSchema, ...selection },
  { additionalProperties: false },
);
export const MyEvaluateBody = Type.Object(
  { cart: CartSchema, ...selection },
  { additionalProperties: false },
);

const CouponReasonSchema = Type.Object({
  code: literals(COUPON_REASON_CODES),
  message: Type.String(),
  details: Details,
  remedy: Type.Object({
    actor: Type.String(),
    action: literals(COUPON_REMEDY_ACTIONS),
    message: Type.String(),
    until: Type.Optional(Type.String()),
    amount: Type.Optional(Money),
    quantity: Type.Optional(Type.Integer()),
  }),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CouponEvaluationSchema = Type.Object(
  {
    couponId: Type.String(),
    code: Nullable(Type.String()),
    name: Nullable(Type.String()),
    state: Type.Union([literals(COUPON_STATES), Type.Null()]),
    applicable: Type.Boolean(),
    saving: Money,
    eligibleLines: Type.Array(Type.Integer()),
    reasons: Type.Array(CouponReasonSchema),
  },
  { $id: "CouponEvaluation" },
);

export const CheckoutEvaluationSchema = Type.Object(
  {
    memberId: Type.String(),
    currency: Type.String(),
    lines: Type.Array(
      Type.Object({
        index: Type.Integer(),
        productId: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Money,
        memberUnitPrice: Money,
        lineTotal: Money,
        discount: Type.Object({
          benefit: Nullable(Type.String()),
          unitSaving: Money,
          reasons: Type.Array(
            Type.Object({
              benefit: Type.String(),
              code: Type.String(),
              message: Type.String(),
              details: Details,
            }),
          ),
        }),
      }),
    ),
    listSubtotal: Money,
    memberSubtotal: Money,
    coupons: Type.Array(Type.Ref("CouponEvaluation")),
    best: Type.Object({ coupons: Type.Array(Type.String()), saving: Money, total: Money }),
    at: Type.String(),
  },
  { $id: "CheckoutEvaluation" },
);
