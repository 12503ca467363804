/**
 * The browser's copy of the coupon answers (`GET /v1/me/coupons`, `POST /v1/me/checkout/evaluate`,
 * `POST /v1/me/diagnose` with a coupon): the server's `src/coupons/coupon-types.ts`, as JSON.
 * The web bundle does not import server code.
 */
import type { Money } from "../common/types";

export type CouponState = "unclaimed" | "available" | "locked" | "used" | "expired";

/** One of `GET /v1/me/coupons`. */
export interface MemberCoupon {
  couponId: string;
  code: string;
  name: string;
  state: CouponState;
  validFrom: string;
  /** While unclaimed: the claim deadline. null: no end. */
  validUntil: string | null;
  claimedAt: string | null;
  orderRef: string | null;
  benefit: string | null;
}

export interface CouponReason {
  code: string;
  message: string;
  details: Record<string, unknown>;
  remedy: { actor: string; action: string; message: string; until?: string };
}

export interface CouponEvaluation {
  couponId: string;
  code: string | null;
  name: string | null;
  state: CouponState | null;
  applicable: boolean;
  saving: Money;
  eligibleLines: number[];
  reasons: CouponReason[];
}

export interface LineEvaluation {
  index: number;
  productId: string;
  quantity: number;
  unitPrice: Money;
  memberUnitPrice: Money;
  lineTotal: Money;
  discount: {
    benefit: string | null;
    unitSaving: Money;
    reasons: { benefit: string; code: string; message: string; details: Record<string, unknown> }[];
  };
}

export interface CheckoutEvaluation {
  memberId: string;
  currency: string;
  lines: LineEvaluation[];
  listSubtotal: Money;
  memberSubtotal: Money;
  coupons: CouponEvaluation[];
  best: { coupons: string[]; saving: Money; total: Money };
  /** When it was evaluated (ISO). */
  at: string;
}

/** `POST /v1/me/diagnose {coupon, cart}`: the coupon on its own against the cart. */
export interface CouponDiagnosis {
  memberId: string;
  verdict: "working" | "not_working";
  coupon: CouponEvaluation;
  at: string;
}

/** The cart as the API takes it. */
export interface CartBody {
  lines: {
    productId: string;
    category?: string;
    price: Money;
    quantity: number;
    onSale: boolean;
  }[];
  channel?: string;
}
