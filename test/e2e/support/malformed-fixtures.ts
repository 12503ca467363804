/** What every malformed-input route table shares: the member acted on, and the shape of a route entry. */

/** The member every malformed-input suite acts on (or as, with her member token). */
export const ALICE = "mi-alice";
/** A well-formed hold id no hold has: the routes refuse bad input before they look it up. */
export const NO_HOLD = "hold_mi_missing";

export interface BodyEndpoint {
  name: string;
  method: "POST" | "PUT" | "PATCH";
  path: string;
  /** "member": a member token for ALICE; otherwise the admin key (admin may do everything). */
  as?: "member";
  /** A body the route accepts; none on the bodiless claim routes. */
  valid?: () => Record<string, unknown>;
  /** A body lacking a required field, when the body has one. */
  missing?: Record<string, unknown>;
  wrongTypes?: Record<string, unknown>[];
  /** The body with `s` in each id-like field (ids and codes must match a strict pattern). */
  inject?: (s: string) => Record<string, unknown>[];
}

/** The coupon routes with bodies (checkout redemption), as the malformed-input suites send them. */
export const COUPON_BODY_ENDPOINTS: readonly BodyEndpoint[] = [
  {
    name: "coupon redeem",
    method: "POST",
    path: "/v1/checkout/redeem",
    valid: () => ({ memberId: ALICE, orderRef: "mi-order", coupons: ["cpn_mi_missing"] }),
    missing: { memberId: ALICE, orderRef: "mi-order" },
    wrongTypes: [
      { memberId: ALICE, orderRef: "mi-order", coupons: [] },
      { memberId: ALICE, orderRef: "mi-order", coupons: "cpn_x" },
      { memberId: ALICE, orderRef: "mi-order", coupons: ["cpn_x", "cpn_x"] },
      { memberId: ALICE, orderRef: "mi-order", coupons: Array.from({ length: 51 }, (_, i) => `cpn_${i}`) },
      { memberId: ALICE, orderRef: "mi-order", coupons: [7] },
      { memberId: ALICE, orderRef: 7, coupons: ["cpn_x"] },
      { memberId: ALICE, orderRef: "", coupons: ["cpn_x"] },
      { memberId: null, orderRef: "mi-order", coupons: ["cpn_x"] },
    ],
    inject: (s) => [
      { memberId: s, orderRef: "mi-order", coupons: ["cpn_x"] },
      { memberId: ALICE, orderRef: s, coupons: ["cpn_x"] },
      { memberId: ALICE, orderRef: "mi-order", coupons: [s] },
    ],
  },
  ...(["complete", "release"] as const).map(
    (step): BodyEndpoint => ({
      name: `coupon ${step}`,
      method: "POST",
      path: `/v1/checkout/${step}`,
      valid: () => ({ orderRef: "mi-order" }),
      missing: {},
      wrongTypes: [{ orderRef: 1 }, { orderRef: "" }, { orderRef: ["mi-order"] }, { orderRef: null }],
      inject: (s) => [{ orderRef: s }],
    }),
  ),
  ...evaluateEndpoints(),
];

/** Checkout evaluation, for the platform (memberId in the body) and for the member themselves. */
function evaluateEndpoints(): BodyEndpoint[] {
  const cart = (lines: unknown[], channel?: unknown) => ({
    lines,
    ...(channel === undefined ? {} : { channel }),
  });
  const book = { productId: "b1", category: "books", price: { amount: 1000, currency: "CNY" }, quantity: 1 };
  const badCarts: Record<string, unknown>[] = [
    { cart: cart([]) },
    { cart: "books" },
    { cart: cart([{ ...book, quantity: 0 }]) },
    { cart: cart([{ ...book, quantity: 1.5 }]) },
    { cart: cart([{ ...book, price: { amount: -1, currency: "CNY" } }]) },
    { cart: cart([{ ...book, price: { amount: 10, currency: "cny" } }]) },
    { cart: cart([{ ...book, price: 1000 }]) },
    { cart: cart([{ ...book, onSale: "yes" }]) },
    { cart: cart([{ ...book, colour: "red" }]) },
    { cart: cart(Array.from({ length: 501 }, () => book)) },
    { cart: cart([book], 7) },
    { cart: cart([book]), coupons: "cpn_x" },
    { cart: cart([book]), coupons: [7] },
    { cart: cart([book]), at: "yesterday" },
  ];
  // Product ids, categories and channels are the platform's own free text; ids Perkwise issues are strict.
  const inject = (s: string): Record<string, unknown>[] => [{ cart: cart([book]), coupons: [s] }];
  return [
    {
      name: "checkout evaluate",
      method: "POST",
      path: "/v1/checkout/evaluate",
      valid: () => ({ memberId: ALICE, cart: cart([book]) }),
      missing: { memberId: ALICE },
      wrongTypes: [...badCarts.map((b) => ({ memberId: ALICE, ...b })), { memberId: 7, cart: cart([book]) }],
      inject: (s) => [
        { memberId: s, cart: cart([book]) },
        ...inject(s).map((b) => ({ memberId: ALICE, ...b })),
      ],
    },
    {
      name: "my checkout evaluate",
      method: "POST",
      path: "/v1/me/checkout/evaluate",
      as: "member",
      valid: () => ({ cart: cart([book]) }),
      missing: {},
      wrongTypes: badCarts,
      inject,
    },
  ];
}
