/**
 * Why coupons cannot be locked to an order: every problem of every coupon, at once. Pure: the
 * redemption service reads, this decides.
 */
import type { CompiledCoupon } from "../catalog/catalog-types.js";
import { couponState } from "./coupon-state.js";
import type { CouponReasonCode, CouponUsage, MemberCouponView } from "./coupon-types.js";

export interface RedemptionProblem {
  code: CouponReasonCode;
  message: string;
  details: Record<string, unknown>;
}

/** One requested coupon and its problems (none: it could be redeemed). */
export interface RedemptionCheck {
  couponId: string;
  problems: RedemptionProblem[];
}

const NOT_FOUND_MESSAGE = "No such coupon among this member's coupons.";
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * Checks the requested coupons against the member's coupons at `at`: each must be the member's,
 * claimed, inside its window and not locked or used; no two may share a stacking group, an exclusive
 * one must be alone; per-member and total limits must hold for all of them together. A coupon that
 * is not the member's gets NOT_FOUND and nothing else, exactly as one that does not exist.
 */
export function redemptionChecks(
  requested: readonly string[],
  held: readonly MemberCouponView[],
  templates: ReadonlyMap<string, CompiledCoupon>,
  usage: CouponUsage,
  at: number,
): RedemptionCheck[] {
  const byId = new Map(held.map((c) => [c.id, c]));
  const found = requested.flatMap((id) => byId.get(id) ?? []);
  const countOf = new Map<string, number>();
  for (const c of found) countOf.set(c.template, (countOf.get(c.template) ?? 0) + 1);
  return requested.map((couponId) => {
    const coupon = byId.get(couponId);
    if (!coupon) {
      return { couponId, problems: [{ code: "NOT_FOUND", message: NOT_FOUND_MESSAGE, details: {} }] };
    }
    const template = templates.get(coupon.template);
    const others = found.filter((c) => c.id !== couponId);
    return {
      couponId,
      problems: [
        ...stateProblems(coupon, at),
        ...stackingProblems(template, others, templates),
        ...limitProblems(coupon, template, countOf.get(coupon.template) ?? 0, usage),
      ],
    };
  });
}

function stateProblems(coupon: MemberCouponView, at: number): RedemptionProblem[] {
  const state = couponState(coupon, at);
  switch (state) {
    case "used":
      return [{ code: "ALREADY_USED", message: "This coupon was used already.", details: {} }];
    case "locked":
      return [{ code: "LOCKED", message: "This coupon is locked to another order.", details: {} }];
    case "unclaimed":
      return [{ code: "NOT_CLAIMED", message: "Claim this coupon before using it.", details: {} }];
    case "expired":
      return [
        {
          code: "EXPIRED",
          message:
            coupon.claimedAt === null ? "This coupon was not claimed in time." : "This coupon has expired.",
          details: { validUntil: iso(coupon.validUntil) },
        },
      ];
    default:
      return at < coupon.validFrom
        ? [
            {
              code: "NOT_STARTED",
              message: `This coupon can be used from ${iso(coupon.validFrom)}.`,
              details: { validFrom: iso(coupon.validFrom) },
            },
          ]
        : [];
  }
}

function stackingProblems(
  template: CompiledCoupon | undefined,
  others: readonly MemberCouponView[],
  templates: ReadonlyMap<string, CompiledCoupon>,
): RedemptionProblem[] {
  if (others.length === 0) return [];
  const conflicts = others.filter((other) => {
    const otherTemplate = templates.get(other.template);
    if (template?.exclusive || otherTemplate?.exclusive) return true;
    const group = template?.stackingGroup ?? null;
    return group !== null && otherTemplate?.stackingGroup === group;
  });
  if (conflicts.length === 0) return [];
  return [
    {
      code: "NOT_STACKABLE",
      message: template?.exclusive
        ? "This coupon cannot be combined with any other."
        : "This coupon cannot be combined with the others selected.",
      details: {
        conflictsWith: conflicts.map((c) => c.id),
        group: template?.stackingGroup ?? null,
        exclusive: template?.exclusive ?? false,
      },
    },
  ];
}

function limitProblems(
  coupon: MemberCouponView,
  template: CompiledCoupon | undefined,
  requested: number,
  usage: CouponUsage,
): RedemptionProblem[] {
  const problems: RedemptionProblem[] = [];
  const perMember = template?.perMember ?? null;
  const memberUsed = usage.memberUsed.get(coupon.template) ?? 0;
  if (perMember !== null && memberUsed + requested > perMember) {
    problems.push({
      code: "USAGE_LIMIT_REACHED",
      message: `This coupon can be used ${perMember} time(s) per member.`,
      details: { scope: "member", limit: perMember, used: memberUsed, requested },
    });
  }
  const total = template?.total ?? null;
  const totalUsed = usage.totalUsed.get(coupon.template) ?? 0;
  if (total !== null && totalUsed + requested > total) {
    problems.push(totalLimitProblem(total, totalUsed, requested));
  }
  return problems;
}

/** The total limit passed: from the counter read, or from the conditional update that refused. */
export function totalLimitProblem(limit: number, used: number | null, requested: number): RedemptionProblem {
  return {
    code: "USAGE_LIMIT_REACHED",
    message: "This coupon has run out: its total number of uses is reached.",
    details: { scope: "total", limit, used, requested },
  };
}
