import type { CatalogService } from "../catalog/catalog-service.js";
import type { DecisionService } from "../decisions/decision-service.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import type { RequestLocale } from "../engine/decision-context.js";
import { AppError } from "../errors.js";
import { diagnoseCoupon, evaluateCheckout } from "./checkout-engine.js";
import type { CouponService } from "./coupon-service.js";
import { couponState } from "./coupon-state.js";
import type {
  Cart,
  CheckoutEvaluation,
  CouponDiagnosis,
  CouponState,
  MemberCouponView,
} from "./coupon-types.js";
import { validateCart } from "./validate-cart.js";

export interface EvaluateRequest {
  cart: Cart;
  /** The coupons the member selected; absent: every coupon they hold. */
  coupons?: string[];
  /** ISO time; default now. */
  at?: string;
}

export interface CouponDiagnosisRequest {
  /** One of the member's coupon ids, or a template code: then the member's best coupon of it. */
  coupon: string;
  cart: Cart;
  at?: string;
}

/** A coupon diagnosis as the API answers it: the verdict, the coupon's reasons, the coupon's record. */
export interface CouponDiagnosisAnswer extends CouponDiagnosis {
  memberId: string;
  /** The stored coupon the reasons are about; null when the id is not the member's. */
  evidence: { type: "coupon"; id: string; at: string; data: Record<string, unknown> }[];
  at: string;
}

/** Which of several coupons of one template a diagnosis by code looks at: the most usable first. */
const STATE_PREFERENCE: readonly CouponState[] = ["available", "unclaimed", "locked", "used", "expired"];

/** Checkout evaluation: loads the member's snapshot and coupons, then runs the pure engine. */
export class CheckoutService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      cache: SnapshotCache;
      decisions: DecisionService;
      coupons: CouponService;
    },
  ) {}

  /** `requestLocale` applies when the member has no locale of their own. */
  async evaluate(
    memberId: string,
    request: EvaluateRequest,
    requestLocale: RequestLocale,
  ): Promise<CheckoutEvaluation & { at: string }> {
    const problems = validateCart(request.cart);
    if (problems.length > 0) {
      throw new AppError("VALIDATION_FAILED", `The cart has ${problems.length} problem(s).`, problems);
    }
    const { snapshot, held, at, locale } = await this.load(memberId, request.at, requestLocale);
    const evaluation = evaluateCheckout(snapshot, this.deps.catalog.require(), {
      cart: request.cart,
      coupons: held.coupons,
      usage: held.usage,
      selected: request.coupons ?? null,
      at,
      locale,
    });
    return { ...evaluation, at: new Date(at).toISOString() };
  }

  /**
   * "Why can't I use this coupon?": the coupon alone on the cart, with exactly the reasons checkout
   * evaluation gives. An id or code that is not the member's answers NOT_FOUND, like checkout.
   */
  async diagnose(
    memberId: string,
    request: CouponDiagnosisRequest,
    requestLocale: RequestLocale,
  ): Promise<CouponDiagnosisAnswer> {
    const problems = validateCart(request.cart);
    if (problems.length > 0) {
      throw new AppError("VALIDATION_FAILED", `The cart has ${problems.length} problem(s).`, problems);
    }
    const { snapshot, held, at, locale } = await this.load(memberId, request.at, requestLocale);
    const chosen = this.pick(held.coupons, request.coupon, at);
    const diagnosis = diagnoseCoupon(snapshot, this.deps.catalog.require(), {
      cart: request.cart,
      coupons: held.coupons,
      usage: held.usage,
      couponId: chosen?.id ?? request.coupon,
      at,
      locale,
    });
    const evidence = chosen
      ? [
          {
            type: "coupon" as const,
            id: chosen.id,
            at: new Date(chosen.issuedAt).toISOString(),
            data: {
              template: chosen.template,
              benefit: chosen.benefit,
              state: couponState(chosen, at),
              claimedAt: iso(chosen.claimedAt),
              validFrom: iso(chosen.validFrom),
              validUntil: iso(chosen.validUntil),
              orderRef: chosen.orderRef,
            },
          },
        ]
      : [];
    return { memberId, ...diagnosis, evidence, at: new Date(at).toISOString() };
  }

  /** The member's snapshot and coupons at the request's time. */
  private async load(memberId: string, atInput: string | undefined, requestLocale: RequestLocale) {
    const snapshot = this.deps.cache.peek(memberId) ?? (await this.deps.cache.get(memberId));
    const { at, locale } = this.deps.decisions.context(snapshot, { at: atInput }, requestLocale, "");
    // An unknown member is 404 here (MEMBER_NOT_FOUND from the coupon store): a checkout is for a member.
    const held = await this.deps.coupons.loadForCheckout(memberId, at);
    return { snapshot, held, at, locale };
  }

  /** The coupon a diagnosis is about: the id itself, or the most usable of the member's coupons of a code. */
  private pick(coupons: readonly MemberCouponView[], idOrCode: string, at: number): MemberCouponView | null {
    const byId = coupons.find((c) => c.id === idOrCode);
    if (byId) return byId;
    const rank = (c: MemberCouponView) => STATE_PREFERENCE.indexOf(couponState(c, at));
    const ofCode = coupons.filter((c) => c.template === idOrCode).sort((a, b) => rank(a) - rank(b));
    return ofCode[0] ?? null;
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
