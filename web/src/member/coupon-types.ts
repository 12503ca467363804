/**
 * The coupon answers as the browser receives them (`GET /v1/me/coupons`, `POST
 * /v1/me/checkout/evaluate`, `POST /v1/me/diagnose` with a coupon), taken from the types generated
 * from the server's OpenAPI document (`npm run sdk:types`): the server's schemas are the one source,
 * and the web bundle imports no server code (type imports are erased).
 */
import type { paths } from "../../../src/sdk/openapi-types";

/** The JSON body of a route's 200 answer. */
type Answer<Path extends keyof paths, Method extends "get" | "post"> = paths[Path][Method] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

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
export type CartBody = NonNullable<
  paths["/v1/me/checkout/evaluate"]["post"]["requestBody"]
>["content"]["application/json"]["cart"];
