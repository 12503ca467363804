/** The authorization matrix's rows for coupons and checkout, and for events, webhooks and metrics. */
import type { Endpoint, Fixture } from "./auth-endpoints.js";

const A = (f: Fixture) => encodeURIComponent(f.memberA);

/** A one-line cart the evaluation routes accept. */
const MATRIX_CART = {
  lines: [{ productId: "b1", category: "books", price: { amount: 1000, currency: "CNY" }, quantity: 1 }],
};

/** Members' coupons, claims, checkout evaluation and redemption. */
export const COUPON_ENDPOINTS: readonly Endpoint[] = [
  { method: "GET", template: "/v1/me/coupons", who: ["member"], path: () => "/v1/me/coupons" },
  {
    method: "GET",
    template: "/v1/members/{memberId}/coupons",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/coupons`,
  },
  {
    method: "POST",
    template: "/v1/me/coupons/{couponId}/claim",
    who: ["member"],
    path: () => "/v1/me/coupons/cpn_matrix_missing/claim",
    // Nobody holds this coupon: 404 COUPON_NOT_FOUND is an answer, not a refusal.
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/coupons/{couponId}/claim",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/coupons/cpn_matrix_missing/claim`,
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/checkout/redeem",
    who: ["service"],
    path: () => "/v1/checkout/redeem",
    body: (f) => ({ memberId: f.memberA, orderRef: "matrix-order", coupons: ["cpn_matrix_missing"] }),
    // The coupon is not Alice's: 409 COUPON_NOT_REDEEMABLE listing NOT_FOUND.
    ok: [409],
  },
  {
    method: "POST",
    template: "/v1/checkout/evaluate",
    who: ["service"],
    path: () => "/v1/checkout/evaluate",
    body: (f) => ({ memberId: f.memberA, cart: MATRIX_CART }),
  },
  {
    method: "POST",
    template: "/v1/me/checkout/evaluate",
    who: ["member"],
    path: () => "/v1/me/checkout/evaluate",
    body: () => ({ cart: MATRIX_CART }),
  },
  {
    method: "POST",
    template: "/v1/checkout/complete",
    who: ["service"],
    path: () => "/v1/checkout/complete",
    body: () => ({ orderRef: "matrix-order" }),
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/checkout/release",
    who: ["service"],
    path: () => "/v1/checkout/release",
    body: () => ({ orderRef: "matrix-order" }),
    ok: [404],
  },
];

/** Metrics and statistics, event streams and outgoing webhooks. */
export const DELIVERY_ENDPOINTS: readonly Endpoint[] = [
  { method: "GET", template: "/metrics", who: ["admin"], path: () => "/metrics" },
  { method: "GET", template: "/v1/stats", who: ["admin", "support"], path: () => "/v1/stats" },
  { method: "GET", template: "/v1/me/events", who: ["member"], path: () => "/v1/me/events", stream: true },
  {
    method: "GET",
    template: "/v1/events",
    who: ["admin", "service", "support"],
    path: (f) => `/v1/events?members=${A(f)}`,
    stream: true,
  },
  {
    method: "POST",
    template: "/v1/webhook-endpoints",
    who: ["admin"],
    path: () => "/v1/webhook-endpoints",
    body: () => ({ url: "https://example.com/matrix", events: ["entitlements.changed"] }),
  },
  { method: "GET", template: "/v1/webhook-endpoints", who: ["admin"], path: () => "/v1/webhook-endpoints" },
  {
    method: "GET",
    template: "/v1/webhook-endpoints/{endpointId}",
    who: ["admin"],
    path: (f) => `/v1/webhook-endpoints/${f.webhookEndpoint}`,
  },
  {
    method: "PATCH",
    template: "/v1/webhook-endpoints/{endpointId}",
    who: ["admin"],
    path: (f) => `/v1/webhook-endpoints/${f.webhookEndpoint}`,
    body: () => ({ description: "matrix" }),
  },
  {
    method: "DELETE",
    template: "/v1/webhook-endpoints/{endpointId}",
    who: ["admin"],
    path: (f) => `/v1/webhook-endpoints/${f.webhookEndpointToDelete}`,
  },
  {
    method: "GET",
    template: "/v1/webhook-endpoints/{endpointId}/deliveries",
    who: ["admin"],
    path: (f) => `/v1/webhook-endpoints/${f.webhookEndpoint}/deliveries`,
  },
  {
    method: "POST",
    template: "/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/replay",
    who: ["admin"],
    path: (f) => `/v1/webhook-endpoints/${f.webhookEndpoint}/deliveries/whd_AAAAAAAAAAAAAAAA/replay`,
    // No such delivery: the admin passes authorization and meets a 404.
    ok: [404],
  },
];
