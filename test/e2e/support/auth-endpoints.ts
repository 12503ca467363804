/**
 * The authorization matrix: every endpoint × every kind of caller. Adding a route means adding one
 * line to ENDPOINTS; the coverage test in auth-matrix.test.ts fails until it is there.
 */
import { DEMO_CATALOG } from "../../../src/demo/demo-catalog.js";
import { DEFAULT_RISK_RULES } from "../../../src/holds/risk-rules.js";
import { COUPON_ENDPOINTS, DELIVERY_ENDPOINTS } from "./auth-endpoints-coupons-events.js";
import { TICKET_ENDPOINTS } from "./auth-endpoints-tickets.js";

export type Role = "admin" | "service" | "support" | "member";
export type Principal = "none" | "garbage" | "admin" | "service" | "support" | "member_self" | "member_other";
export const PRINCIPALS: readonly Principal[] = [
  "none",
  "garbage",
  "admin",
  "service",
  "support",
  "member_self",
  "member_other",
];

/** Ids and secrets made in beforeAll; the table reads them lazily. */
export interface Fixture {
  memberA: string;
  memberB: string;
  orderA: { orderId: string; amount: number };
  /** A verify_identity hold on memberA's vip_zone only (her ad_free stays allowed). */
  holdA: string;
  /** A manual hold on memberB, for the agents' clear route. */
  holdB: string;
  /** Webhook endpoints: one to read and change, one the admin deletes. */
  webhookEndpoint: string;
  webhookEndpointToDelete: string;
  /** Service keys for the admin's rotate and revoke routes (never a key the matrix calls with). */
  apiKeyToRotate: string;
  apiKeyToRevoke: string;
  /** Alice's ticket, with a PNG attachment, for the member and agent routes. */
  ticketA: string;
  attachmentA: string;
  /** Bob's ticket, which agents resolve and close. */
  ticketB: string;
  secrets: Record<Principal, string | null>;
}

export interface Endpoint {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path as the OpenAPI document spells it. */
  template: string;
  /** Who may call it, as DESIGN.md says; "signature" = Standard Webhooks, "public" = anyone. */
  who: readonly Role[] | "signature" | "public";
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** The statuses an allowed caller may get (default: any 2xx). */
  ok?: readonly number[];
  /** A Server-Sent Events stream: read its status and headers, then hang up. */
  stream?: true;
}

const A = (f: Fixture) => encodeURIComponent(f.memberA);

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "GET", template: "/healthz", who: "public", path: () => "/healthz" },
  { method: "GET", template: "/openapi.json", who: "public", path: () => "/openapi.json" },
  {
    method: "POST",
    template: "/v1/api-keys",
    who: ["admin"],
    path: () => "/v1/api-keys",
    body: () => ({ name: "matrix", role: "support" }),
  },
  { method: "GET", template: "/v1/api-keys", who: ["admin"], path: () => "/v1/api-keys" },
  {
    method: "POST",
    template: "/v1/api-keys/{id}/rotate",
    who: ["admin"],
    path: (f) => `/v1/api-keys/${f.apiKeyToRotate}/rotate`,
    body: () => ({ overlapMinutes: 5 }),
  },
  {
    method: "DELETE",
    template: "/v1/api-keys/{id}",
    who: ["admin"],
    path: (f) => `/v1/api-keys/${f.apiKeyToRevoke}`,
  },
  {
    method: "PUT",
    template: "/v1/catalog",
    who: ["admin"],
    path: () => "/v1/catalog",
    body: () => DEMO_CATALOG,
  },
  { method: "GET", template: "/v1/catalog", who: ["admin", "service"], path: () => "/v1/catalog" },
  {
    method: "GET",
    template: "/v1/catalog/versions",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions",
  },
  {
    method: "GET",
    template: "/v1/catalog/versions/{n}",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions/1",
  },
  {
    method: "GET",
    template: "/v1/catalog/versions/{n}/diff",
    who: ["admin", "service"],
    path: () => "/v1/catalog/versions/1/diff",
  },
  {
    method: "PUT",
    template: "/v1/members/{memberId}",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}`,
    body: () => ({ displayName: "Alice", locale: "en" }),
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}`,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/token",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/token`,
    body: () => ({}),
  },
  {
    method: "POST",
    template: "/v1/orders",
    who: ["service"],
    path: () => "/v1/orders",
    body: (f) => ({ memberId: f.memberA, plan: "vip_month" }),
  },
  {
    method: "GET",
    template: "/v1/orders/{orderId}",
    who: ["service", "support"],
    path: (f) => `/v1/orders/${f.orderA.orderId}`,
  },
  {
    // Signed by Alipay, not by a caller's credentials; this server has no Alipay configured.
    method: "POST",
    template: "/v1/payments/alipay/notify",
    who: "public",
    path: () => "/v1/payments/alipay/notify",
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/payments/wechatpay/notify",
    who: "public",
    path: () => "/v1/payments/wechatpay/notify",
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/payments/stripe/webhook",
    who: "public",
    path: () => "/v1/payments/stripe/webhook",
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/payments/events",
    who: "signature",
    path: () => "/v1/payments/events",
    body: (f) => ({
      type: "payment.succeeded",
      data: { orderId: f.orderA.orderId, amount: f.orderA.amount },
    }),
  },
  {
    method: "POST",
    template: "/v1/check",
    who: ["service"],
    path: () => "/v1/check",
    body: (f) => ({ memberId: f.memberA, benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/check/batch",
    who: ["service"],
    path: () => "/v1/check/batch",
    body: (f) => ({ checks: [{ memberId: f.memberA, benefit: "ad_free" }] }),
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}/entitlements",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/entitlements`,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/benefits/{benefit}/claim",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/benefits/monthly_gift/claim`,
  },
  {
    method: "PUT",
    template: "/v1/members/{memberId}/benefits/{benefit}/toggle",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/benefits/hd_download_boost/toggle`,
    body: () => ({ on: true }),
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/benefits/{benefit}/usage",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/benefits/cloud_storage/usage`,
    // One key for every caller: the first allowed call consumes, the others replay its answer.
    body: () => ({ amount: 1, idempotencyKey: "matrix-usage" }),
    ok: [200],
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}/snapshot",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/snapshot`,
  },
  {
    method: "GET",
    template: "/v1/catalog/history",
    who: ["admin", "service"],
    path: () => "/v1/catalog/history",
  },
  { method: "GET", template: "/v1/me/entitlements", who: ["member"], path: () => "/v1/me/entitlements" },
  {
    method: "POST",
    template: "/v1/me/check",
    who: ["member"],
    path: () => "/v1/me/check",
    body: () => ({ benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/me/benefits/{benefit}/claim",
    who: ["member"],
    path: () => "/v1/me/benefits/monthly_gift/claim",
    // The other member holds no grant: 409 BENEFIT_NOT_GRANTED is an answer, not a refusal.
    ok: [200, 409],
  },
  {
    method: "PUT",
    template: "/v1/me/benefits/{benefit}/toggle",
    who: ["member"],
    path: () => "/v1/me/benefits/hd_download_boost/toggle",
    body: () => ({ on: true }),
    ok: [200, 409],
  },
  {
    method: "GET",
    template: "/v1/members/{memberId}/timeline",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/timeline`,
  },
  { method: "GET", template: "/v1/me/timeline", who: ["member"], path: () => "/v1/me/timeline" },
  {
    method: "GET",
    template: "/v1/members/{memberId}/notices",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/notices`,
  },
  { method: "GET", template: "/v1/me/notices", who: ["member"], path: () => "/v1/me/notices" },
  {
    method: "POST",
    template: "/v1/me/notices/{noticeId}/read",
    who: ["member"],
    path: () => "/v1/me/notices/ntc_00000000000000000000000000000000/read",
    // Nobody has this notice: 404 NOT_FOUND is an answer, not a refusal.
    ok: [404],
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/diagnose",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/diagnose`,
    body: () => ({ benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/me/diagnose",
    who: ["member"],
    path: () => "/v1/me/diagnose",
    body: () => ({ benefit: "ad_free" }),
  },
  {
    method: "POST",
    template: "/v1/me/sessions",
    who: ["member"],
    path: () => "/v1/me/sessions",
    body: () => ({ platform: "ios", version: "6.2.0", entitlementsVersion: 1 }),
    ok: [201],
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/signals",
    who: ["service"],
    path: (f) => `/v1/members/${A(f)}/signals`,
    body: () => ({ type: "purchase", channel: "official_app" }),
  },
  { method: "GET", template: "/v1/risk-rules", who: ["admin", "support"], path: () => "/v1/risk-rules" },
  {
    method: "PUT",
    template: "/v1/risk-rules",
    who: ["admin"],
    path: () => "/v1/risk-rules",
    body: () => DEFAULT_RISK_RULES,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/holds",
    who: ["admin", "support"],
    path: (f) => `/v1/members/${encodeURIComponent(f.memberB)}/holds`,
    body: () => ({ reason: "manual", benefits: ["svip_concierge"], note: "matrix" }),
  },
  { method: "GET", template: "/v1/holds", who: ["admin", "support"], path: () => "/v1/holds?status=open" },
  {
    method: "GET",
    template: "/v1/holds/{holdId}",
    who: ["admin", "support"],
    path: (f) => `/v1/holds/${f.holdA}`,
  },
  {
    method: "POST",
    template: "/v1/holds/{holdId}/clear",
    who: ["admin", "support"],
    // The first allowed caller clears Bob's hold, the next ones find it cleared.
    path: (f) => `/v1/holds/${f.holdB}/clear`,
    body: () => ({ note: "matrix" }),
    ok: [200, 409],
  },
  { method: "GET", template: "/v1/me/holds", who: ["member"], path: () => "/v1/me/holds" },
  {
    method: "POST",
    template: "/v1/me/holds/{holdId}/verification",
    who: ["member"],
    path: (f) => `/v1/me/holds/${f.holdA}/verification`,
    // Alice: 202, then 429 within the minute; Bob: 404, it is not his hold.
    ok: [202, 404, 429],
  },
  {
    method: "POST",
    template: "/v1/me/holds/{holdId}/verify",
    who: ["member"],
    path: (f) => `/v1/me/holds/${f.holdA}/verify`,
    // Alice: 422 (wrong code; 200 in the one case in a million the code is 000000); Bob: 404.
    body: () => ({ code: "000000" }),
    ok: [200, 404, 422],
  },
  {
    method: "POST",
    template: "/v1/reconcile",
    who: ["admin"],
    path: () => "/v1/reconcile",
    // A dry run: the matrix must not repair anything behind the other tests' back.
    body: () => ({ fix: false }),
  },
  {
    method: "GET",
    template: "/v1/reconcile/runs",
    who: ["admin", "support"],
    path: () => "/v1/reconcile/runs",
  },
  {
    method: "GET",
    template: "/v1/members",
    who: ["service", "support"],
    path: (f) => `/v1/members?q=${A(f)}`,
  },
  { method: "GET", template: "/v1/me/catalog", who: ["member"], path: () => "/v1/me/catalog" },
  { method: "GET", template: "/v1/me/profile", who: ["member"], path: () => "/v1/me/profile" },
  // Public only when the platform switches PERKWISE_PUBLIC_PLANS on (test/e2e/plans.test.ts).
  { method: "GET", template: "/v1/plans", who: ["service", "support"], path: () => "/v1/plans" },
  { method: "GET", template: "/v1/me/plans", who: ["member"], path: () => "/v1/me/plans" },
  ...COUPON_ENDPOINTS,
  ...DELIVERY_ENDPOINTS,
  ...TICKET_ENDPOINTS,
];

/** May this principal call a route open to `who`? An admin may do what service and support may. */
export function allowed(endpoint: Endpoint, principal: Principal): boolean {
  const { who } = endpoint;
  if (who === "public" || who === "signature") return true;
  switch (principal) {
    case "none":
    case "garbage":
      return false;
    case "admin":
      return who.includes("admin") || who.includes("service") || who.includes("support");
    case "member_self":
    case "member_other":
      return who.includes("member");
    default:
      return who.includes(principal);
  }
}
