/** The routes the malformed-input suites attack, with valid, incomplete and hostile bodies for each. */
import { DEMO_CATALOG } from "../../../src/demo/demo-catalog.js";
import { ALICE, type BodyEndpoint, COUPON_BODY_ENDPOINTS } from "./malformed-fixtures.js";
import { SUPPORT_BODY_ENDPOINTS } from "./malformed-routes-support.js";
import { TICKET_BODY_ENDPOINTS } from "./malformed-routes-tickets.js";

export { ALICE, type BodyEndpoint } from "./malformed-fixtures.js";

const tier = DEMO_CATALOG.tiers[0];

/** Every route that reads a body (or refuses one: the claim routes), as the malformed-input suites send it. */
export const BODY_ENDPOINTS: readonly BodyEndpoint[] = [
  {
    name: "create API key",
    method: "POST",
    path: "/v1/api-keys",
    valid: () => ({ name: "k", role: "service" }),
    missing: { name: "k" },
    wrongTypes: [
      { name: 1, role: "service" },
      { name: "k", role: "root" },
      { name: "", role: "admin" },
      { name: ["k"], role: true },
      { name: "k".repeat(101), role: "support" },
    ],
    inject: (s) => [{ name: "k", role: s }],
  },
  {
    name: "catalog PUT",
    method: "PUT",
    path: "/v1/catalog",
    valid: () => ({ ...DEMO_CATALOG }),
    missing: { tiers: DEMO_CATALOG.tiers },
    wrongTypes: [
      { tiers: "vip", benefits: {} },
      { ...DEMO_CATALOG, tiers: [{ ...tier, rank: "1" }] },
      {
        ...DEMO_CATALOG,
        tiers: [{ ...tier, plans: [{ ...tier.plans[0], price: { amount: 1.5, currency: "CNY" } }] }],
      },
      { ...DEMO_CATALOG, policy: "yolo" },
      { ...DEMO_CATALOG, effectiveFrom: 12 },
      { ...DEMO_CATALOG, notice: { fr: "bonjour" } },
    ],
    inject: (s) => [
      { ...DEMO_CATALOG, tiers: [{ ...tier, code: s }] },
      { ...DEMO_CATALOG, tiers: [{ ...tier, benefits: [s] }] },
      { ...DEMO_CATALOG, tiers: [{ ...tier, plans: [{ ...tier.plans[0], period: s }] }] },
    ],
  },
  {
    name: "member PUT",
    method: "PUT",
    path: `/v1/members/${ALICE}`,
    valid: () => ({ displayName: "Alice" }),
    wrongTypes: [
      { displayName: 5 },
      { displayName: "x".repeat(201) },
      { locale: "fr" },
      { timezone: 7 },
      { timezone: "Mars/Olympus" },
      { timezone: "" },
    ],
    inject: (s) => [{ timezone: s }, { locale: s }],
  },
  {
    name: "member token",
    method: "POST",
    path: `/v1/members/${ALICE}/token`,
    valid: () => ({}),
    wrongTypes: [{ ttlSeconds: "60" }, { ttlSeconds: 1 }, { ttlSeconds: 1.5 }, { ttlSeconds: 1e12 }],
  },
  {
    name: "order",
    method: "POST",
    path: "/v1/orders",
    valid: () => ({ memberId: ALICE, plan: "vip_month" }),
    missing: { memberId: ALICE },
    wrongTypes: [
      { memberId: 1, plan: "vip_month" },
      { memberId: ALICE, plan: ["vip_month"] },
      { memberId: ALICE, plan: "vip_month", channel: 5 },
      { memberId: null, plan: null },
    ],
    inject: (s) => [
      { memberId: s, plan: "vip_month" },
      { memberId: ALICE, plan: s },
      { memberId: ALICE, plan: "vip_month", channel: s },
    ],
  },
  {
    name: "check",
    method: "POST",
    path: "/v1/check",
    valid: () => ({ memberId: ALICE, benefit: "ad_free" }),
    missing: { memberId: ALICE },
    wrongTypes: [
      { memberId: ALICE, benefit: 1 },
      { memberId: ALICE, benefit: "ad_free", context: "now" },
      { memberId: ALICE, benefit: "ad_free", context: { usage: "5" } },
      { memberId: ALICE, benefit: "ad_free", context: { usage: -1 } },
      { memberId: ALICE, benefit: "ad_free", context: { product: { onSale: "yes" } } },
      { memberId: ALICE, benefit: "ad_free", context: { at: "yesterday" } },
      { memberId: ALICE, benefit: "ad_free", context: { client: { entitlementsVersion: -1 } } },
    ],
    inject: (s) => [
      { memberId: s, benefit: "ad_free" },
      { memberId: ALICE, benefit: s },
    ],
  },
  {
    name: "check batch",
    method: "POST",
    path: "/v1/check/batch",
    valid: () => ({ checks: [{ memberId: ALICE, benefit: "ad_free" }] }),
    missing: {},
    wrongTypes: [
      { checks: {} },
      { checks: [] },
      { checks: [1] },
      { checks: [{ memberId: ALICE }] },
      { checks: Array.from({ length: 1001 }, () => ({ memberId: ALICE, benefit: "ad_free" })) },
    ],
    inject: (s) => [
      { checks: [{ memberId: s, benefit: "ad_free" }] },
      {
        checks: [
          { memberId: ALICE, benefit: "ad_free" },
          { memberId: ALICE, benefit: s },
        ],
      },
    ],
  },
  {
    name: "toggle for a member",
    method: "PUT",
    path: `/v1/members/${ALICE}/benefits/hd_download_boost/toggle`,
    valid: () => ({ on: true }),
    missing: {},
    wrongTypes: [{ on: "true" }, { on: 1 }, { on: null }],
  },
  {
    name: "claim for a member",
    method: "POST",
    path: `/v1/members/${ALICE}/benefits/monthly_gift/claim`,
  },
  {
    name: "quota usage",
    method: "POST",
    path: `/v1/members/${ALICE}/benefits/cloud_storage/usage`,
    valid: () => ({ amount: 1, idempotencyKey: "mi-usage" }),
    missing: { amount: 1 },
    wrongTypes: [
      { amount: "1", idempotencyKey: "k" },
      { amount: 0, idempotencyKey: "k" },
      { amount: -1, idempotencyKey: "k" },
      { amount: 1.5, idempotencyKey: "k" },
      { amount: 1e16, idempotencyKey: "k" },
      { amount: 1, idempotencyKey: "" },
      { amount: 1, idempotencyKey: "k".repeat(129) },
      { amount: 1, idempotencyKey: 7 },
      { amount: null, idempotencyKey: null },
    ],
  },
  {
    name: "my check",
    method: "POST",
    path: "/v1/me/check",
    as: "member",
    valid: () => ({ benefit: "ad_free" }),
    missing: {},
    wrongTypes: [{ benefit: 5 }, { benefit: "ad_free", context: [] }],
    inject: (s) => [{ benefit: s }],
  },
  {
    name: "my toggle",
    method: "PUT",
    path: "/v1/me/benefits/hd_download_boost/toggle",
    as: "member",
    valid: () => ({ on: false }),
    missing: {},
    wrongTypes: [{ on: "false" }, { on: 0 }],
  },
  { name: "my claim", method: "POST", path: "/v1/me/benefits/monthly_gift/claim", as: "member" },
  ...SUPPORT_BODY_ENDPOINTS,
  ...TICKET_BODY_ENDPOINTS,
  ...COUPON_BODY_ENDPOINTS,
  {
    name: "webhook endpoint",
    method: "POST",
    path: "/v1/webhook-endpoints",
    valid: () => ({ url: "https://example.com/hooks", events: ["entitlements.changed"] }),
    missing: { url: "https://example.com/hooks" },
    wrongTypes: [
      { url: 1, events: ["*"] },
      { url: "ftp://example.com/hooks", events: ["*"] },
      { url: "https://user:secret@example.com/hooks", events: ["*"] },
      { url: "https://example.com/hooks#x", events: ["*"] },
      { url: "https://example.com/hooks", events: "*" },
      { url: "https://example.com/hooks", events: [] },
      { url: "https://example.com/hooks", events: ["Not A Type"] },
      { url: "https://example.com/hooks", events: ["*"], description: 5 },
      { url: "https://example.com/hooks", events: ["*"], description: "x".repeat(501) },
    ],
    inject: (s) => [{ url: "https://example.com/hooks", events: [s] }],
  },
  {
    name: "webhook endpoint PATCH",
    method: "PATCH",
    path: "/v1/webhook-endpoints/whe_AAAAAAAAAAAAAAAA",
    valid: () => ({ description: "x" }),
    wrongTypes: [
      {},
      { enabled: "yes" },
      { url: 5 },
      { url: "javascript:alert(1)" },
      { events: [] },
      { events: ["*", 1] },
      { description: ["x"] },
    ],
    inject: (s) => [{ events: [s] }],
  },
];

/** Every route with path parameters, as a function of the (raw, already encoded) parameter. */
export const PARAM_ROUTES: readonly {
  name: string;
  method: string;
  path: (p: string) => string;
  body?: unknown;
}[] = [
  { name: "member PUT", method: "PUT", path: (p) => `/v1/members/${p}`, body: { displayName: "x" } },
  { name: "member GET", method: "GET", path: (p) => `/v1/members/${p}` },
  { name: "member token", method: "POST", path: (p) => `/v1/members/${p}/token`, body: {} },
  { name: "entitlements", method: "GET", path: (p) => `/v1/members/${p}/entitlements` },
  { name: "claim (member)", method: "POST", path: (p) => `/v1/members/${p}/benefits/monthly_gift/claim` },
  { name: "claim (benefit)", method: "POST", path: (p) => `/v1/members/${ALICE}/benefits/${p}/claim` },
  {
    name: "toggle (member)",
    method: "PUT",
    path: (p) => `/v1/members/${p}/benefits/hd_download_boost/toggle`,
    body: { on: true },
  },
  {
    name: "toggle (benefit)",
    method: "PUT",
    path: (p) => `/v1/members/${ALICE}/benefits/${p}/toggle`,
    body: { on: true },
  },
  {
    name: "usage (member)",
    method: "POST",
    path: (p) => `/v1/members/${p}/benefits/cloud_storage/usage`,
    body: { amount: 1, idempotencyKey: "param-usage" },
  },
  {
    name: "usage (benefit)",
    method: "POST",
    path: (p) => `/v1/members/${ALICE}/benefits/${p}/usage`,
    body: { amount: 1, idempotencyKey: "param-usage" },
  },
  { name: "my claim", method: "POST", path: (p) => `/v1/me/benefits/${p}/claim` },
  { name: "my toggle", method: "PUT", path: (p) => `/v1/me/benefits/${p}/toggle`, body: { on: true } },
  {
    name: "signal (member)",
    method: "POST",
    path: (p) => `/v1/members/${p}/signals`,
    body: { type: "purchase", channel: "official_app" },
  },
  {
    name: "place hold (member)",
    method: "POST",
    path: (p) => `/v1/members/${p}/holds`,
    body: { reason: "manual" },
  },
  { name: "hold", method: "GET", path: (p) => `/v1/holds/${p}` },
  { name: "clear hold", method: "POST", path: (p) => `/v1/holds/${p}/clear`, body: { note: "x" } },
  { name: "my hold verification", method: "POST", path: (p) => `/v1/me/holds/${p}/verification` },
  {
    name: "my hold verify",
    method: "POST",
    path: (p) => `/v1/me/holds/${p}/verify`,
    body: { code: "123456" },
  },
  { name: "member coupons", method: "GET", path: (p) => `/v1/members/${p}/coupons` },
  { name: "my coupon claim", method: "POST", path: (p) => `/v1/me/coupons/${p}/claim` },
  { name: "coupon claim (member)", method: "POST", path: (p) => `/v1/members/${p}/coupons/cpn_mi/claim` },
  { name: "coupon claim (coupon)", method: "POST", path: (p) => `/v1/members/${ALICE}/coupons/${p}/claim` },
  { name: "catalog version", method: "GET", path: (p) => `/v1/catalog/versions/${p}` },
  { name: "catalog diff", method: "GET", path: (p) => `/v1/catalog/versions/${p}/diff` },
  { name: "member snapshot", method: "GET", path: (p) => `/v1/members/${p}/snapshot` },
  { name: "webhook endpoint", method: "GET", path: (p) => `/v1/webhook-endpoints/${p}` },
  {
    name: "webhook endpoint PATCH",
    method: "PATCH",
    path: (p) => `/v1/webhook-endpoints/${p}`,
    body: { description: "x" },
  },
  { name: "webhook endpoint DELETE", method: "DELETE", path: (p) => `/v1/webhook-endpoints/${p}` },
  { name: "webhook deliveries", method: "GET", path: (p) => `/v1/webhook-endpoints/${p}/deliveries` },
  {
    name: "webhook replay (endpoint)",
    method: "POST",
    path: (p) => `/v1/webhook-endpoints/${p}/deliveries/whd_AAAAAAAAAAAAAAAA/replay`,
  },
  {
    name: "webhook replay (delivery)",
    method: "POST",
    path: (p) => `/v1/webhook-endpoints/whe_AAAAAAAAAAAAAAAA/deliveries/${p}/replay`,
  },
];

/** A route that takes a body: its schema can be probed field by field. */
export type EndpointWithBody = BodyEndpoint & Required<Pick<BodyEndpoint, "valid">>;
export const ENDPOINTS_WITH_BODY = BODY_ENDPOINTS.filter((e): e is EndpointWithBody => e.valid !== undefined);

/** A route whose body holds ids or codes, which must match a strict pattern. */
export type EndpointWithIds = BodyEndpoint & Required<Pick<BodyEndpoint, "inject">>;
export const ENDPOINTS_WITH_IDS = BODY_ENDPOINTS.filter((e): e is EndpointWithIds => e.inject !== undefined);

/** Bad query strings of GET /v1/stats: each is a 400 VALIDATION_FAILED (`path`: the detail expected). */
export const STATS_QUERY_ROUTES: readonly { name: string; query: string; path?: string }[] = [
  { name: "from not a date", query: "from=yesterday", path: "/from" },
  { name: "to without an offset", query: "to=2026-11-24T02:00:00", path: "/to" },
  { name: "a day that does not exist", query: "from=2026-02-30T00:00:00Z", path: "/from" },
  { name: "from after to", query: "from=2026-11-24T03:00:00Z&to=2026-11-24T02:00:00Z", path: "/from" },
  { name: "from equal to to", query: "from=2026-11-24T02:00:00Z&to=2026-11-24T02:00:00Z", path: "/from" },
  { name: "more than 31 days", query: "from=2026-10-01T00:00:00Z&to=2026-11-24T00:00:00Z", path: "/from" },
  { name: "an unknown bucket", query: "bucket=PT2M" },
  {
    name: "too many buckets",
    query: "from=2026-11-01T00:00:00Z&to=2026-11-24T00:00:00Z&bucket=PT1M",
    path: "/bucket",
  },
  { name: "an unknown parameter", query: "members=all" },
  { name: "an over-long value", query: `from=${"2".repeat(100)}` },
  { name: "hostile text", query: `to=${encodeURIComponent("'; drop table holds; --")}`, path: "/to" },
];
