/**
 * Plain-data inputs and outputs of checkout evaluation (the coupons issue). The pure engine in
 * `checkout-engine.ts` reads these; the coupon store produces the inputs. Times are epoch ms and
 * money is integer minor units throughout.
 */
import type { Locale, Money } from "../catalog/catalog-types.js";

/** What a member sees of one coupon, derived from the stored row and the time (see couponState). */
export const COUPON_STATES = ["unclaimed", "available", "locked", "used", "expired"] as const;
export type CouponState = (typeof COUPON_STATES)[number];

/** One issued coupon as stored. */
export interface MemberCouponView {
  /** Random and unguessable (`cpn_…`): it is also what a member types or scans. */
  id: string;
  memberId: string;
  /** Code of the coupon template in the catalog. */
  template: string;
  /** The coupon_pack benefit that issued it, null for one issued by an operator. */
  benefit: string | null;
  issuedAt: number;
  /** null while a claim-required coupon waits to be claimed. */
  claimedAt: number | null;
  /** When it may first be used (template validFrom, else its claim or issue time). */
  validFrom: number;
  /**
   * When it stops being usable, null for never. For an unclaimed coupon: the claim deadline.
   * A claimed coupon: the template's validUntil and `validDays` after the claim, whichever is first.
   */
  validUntil: number | null;
  /** Stored status: `issued` (unclaimed or available by time), `locked` to an order, `used`. */
  status: "issued" | "locked" | "used";
  /** The order it is locked to or was used in. */
  orderRef: string | null;
}

/** Redemptions counted against a template's limits: locked or used coupons. */
export interface CouponUsage {
  /** By this member, per template code. */
  memberUsed: ReadonlyMap<string, number>;
  /** By every member, per template code. */
  totalUsed: ReadonlyMap<string, number>;
}

export interface CartLine {
  productId: string;
  category?: string;
  /** Unit price. */
  price: Money;
  quantity: number;
  onSale?: boolean;
}

export interface Cart {
  lines: readonly CartLine[];
  channel?: string;
}

export const COUPON_REASON_CODES = [
  /** The id is not one of the member's coupons (the same answer whether it exists or not). */
  "NOT_FOUND",
  "NOT_CLAIMED",
  "ALREADY_USED",
  /** Locked to another order that is not finished. */
  "LOCKED",
  "NOT_STARTED",
  "EXPIRED",
  "TIER_TOO_LOW",
  "ACCOUNT_ON_HOLD",
  "CHANNEL_NOT_ELIGIBLE",
  "NOT_IN_SCOPE",
  "MIN_AMOUNT_NOT_MET",
  "MIN_QUANTITY_NOT_MET",
  "CURRENCY_MISMATCH",
  "USAGE_LIMIT_REACHED",
  /** Usable alone, but it cannot be combined with the coupons of the best combination. */
  "NOT_STACKABLE",
] as const;
export type CouponReasonCode = (typeof COUPON_REASON_CODES)[number];

export const COUPON_REMEDY_ACTIONS = [
  "none",
  "claim",
  "wait",
  "add_items",
  "change_channel",
  "upgrade_tier",
  "verify_identity",
  "remove_coupon",
  "contact_support",
] as const;
export type CouponRemedyAction = (typeof COUPON_REMEDY_ACTIONS)[number];

export interface CouponRemedy {
  actor: "member" | "platform" | "support";
  action: CouponRemedyAction;
  /** Localized, e.g. "Add ¥12.00 more of eligible items." */
  message: string;
  /** ISO time, with `wait`. */
  until?: string;
  /** With `add_items`: how much more of eligible items is needed. */
  amount?: Money;
  /** With `add_items`: how many more eligible items are needed. */
  quantity?: number;
}

export interface CouponReason {
  code: CouponReasonCode;
  message: string;
  details: Record<string, unknown>;
  remedy: CouponRemedy;
}

/** Why a discount benefit did not price a line: the decision's reason, with the benefit named. */
export interface LineDiscountReason {
  benefit: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface LineEvaluation {
  index: number;
  productId: string;
  quantity: number;
  unitPrice: Money;
  memberUnitPrice: Money;
  /** memberUnitPrice × quantity. */
  lineTotal: Money;
  discount: {
    /** The discount benefit that priced the line (the largest saving), null when none applied. */
    benefit: string | null;
    /** Off each unit. */
    unitSaving: Money;
    /** Every discount benefit that did not apply, with its reason. */
    reasons: LineDiscountReason[];
  };
}

export interface CouponEvaluation {
  couponId: string;
  /** Template code; null for NOT_FOUND. */
  code: string | null;
  name: string | null;
  state: CouponState | null;
  applicable: boolean;
  /** What it saves on this cart alone (zero when not applicable for a reason other than stacking). */
  saving: Money;
  /** Indexes of the cart lines it applies to. */
  eligibleLines: number[];
  /** Every reason that blocks it; empty when applicable. */
  reasons: CouponReason[];
}

export interface BestCombination {
  /** Coupon ids, in the order the evaluation listed them. */
  coupons: string[];
  saving: Money;
  /** What the member pays: member subtotal − saving. */
  total: Money;
}

export interface CheckoutEvaluation {
  memberId: string;
  currency: string;
  lines: LineEvaluation[];
  /** Σ unitPrice × quantity. */
  listSubtotal: Money;
  /** Σ lineTotal, after member prices. */
  memberSubtotal: Money;
  coupons: CouponEvaluation[];
  best: BestCombination;
}

export interface CheckoutInput {
  cart: Cart;
  /** Every coupon the member holds, in any state. */
  coupons: readonly MemberCouponView[];
  usage: CouponUsage;
  /** Ids the member selected; null: consider every coupon they hold. */
  selected: readonly string[] | null;
  at: number;
  locale: Locale;
}

/** Input of a one-coupon explanation (the diagnosis of an unavailable coupon): as CheckoutInput, for one id. */
export interface CouponDiagnosisInput extends Omit<CheckoutInput, "selected"> {
  couponId: string;
}

/** Why one coupon does or does not apply to a cart, with the same reasons checkout evaluation gives. */
export interface CouponDiagnosis {
  verdict: "working" | "not_working";
  /** The coupon evaluated on its own: stacking never stands in the way of a coupon used alone. */
  coupon: CouponEvaluation;
}
