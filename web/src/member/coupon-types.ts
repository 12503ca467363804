/** The coupon answers (`GET /v1/me/coupons`, `POST /v1/me/checkout/evaluate`, `POST /v1/me/diagnose` with a coupon). */
import type { Answer, RequestBody } from "../common/api-types";

/** One of `GET /v1/me/coupons`. */
export type MemberCoupon = Answer<"/v1/me/coupons", "get">["coupons"][number];
export type CouponState = MemberCoupon["state"];

export type CheckoutEvaluation = Answer<"/v1/me/checkout/evaluate", "post">;
export type CouponEvaluation = CheckoutEvaluation["coupons"][number];
export type CouponReason = CouponEvaluation["reasons"][number];
export type LineEvaluation = CheckoutEvaluation["lines"][number];

/** `POST /v1/me/diagnose {coupon, cart}`: the coupon on its own against the cart. */
export type CouponDiagnosis = Extract<Answer<"/v1/me/diagnose", "post">, { coupon: unknown }>;

/** The cart as the API takes it. */
export type CartBody = RequestBody<"/v1/me/checkout/evaluate", "post">["cart"];
