/**
 * Which coupons a member's coupon_pack grants owe at a given time, and what a claim makes of one.
 * Pure: the store reads, this decides, the service writes. Times are epoch ms.
 */
import type { CompiledCatalog, CompiledCoupon } from "../catalog/catalog-types.js";
import { periodAfter, periodAt } from "../time/usage-period.js";
import type { MemberCouponView } from "./coupon-types.js";

/** A stored coupon: what members see, plus the issue it came from. */
export interface MemberCouponRecord extends MemberCouponView {
  grantId: string | null;
  /** The issue period [periodStart, periodEnd) it belongs to. */
  periodStart: number;
  periodEnd: number;
  sequence: number;
}

/** A coupon_pack grant, as issuance needs it. */
export interface PackGrant {
  id: string;
  benefit: string;
  effectiveFrom: number;
  expiresAt: number;
  endedAt: number | null;
  endReason: string | null;
  /** The start of the grant's membership: the origin of membership-anchored periods. */
  membershipStart: number;
}

/** A coupon's window cut short: its grant ended by refund. */
export interface CouponCut {
  id: string;
  validUntil: number;
}

export interface DueIssues {
  issue: Omit<MemberCouponRecord, "id">[];
  cut: CouponCut[];
}

/** Grants that end for these reasons take their unused coupons with them (an expiry or upgrade does not). */
const CUTTING_END_REASONS: ReadonlySet<string> = new Set(["refunded", "revoked"]);
/** A guard against a pathological period (PT1M for years): no grant issues more periods per read. */
const MAX_PERIODS_PER_READ = 1000;
const DAY_MS = 86_400_000;

const minOf = (...values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.min(...present);
};

/** The instant a grant's coupons stop: its refund, for a grant ended by refund or revocation. */
function cutAt(grant: PackGrant): number | null {
  return grant.endedAt !== null && grant.endReason !== null && CUTTING_END_REASONS.has(grant.endReason)
    ? grant.endedAt
    : null;
}

/**
 * The window a coupon gets when claimed at `at`: from the template's validFrom (or the claim), until
 * the template's validUntil or `validDays` × 24 h after the claim, whichever is first (null: no end).
 */
export function claimedWindow(template: CompiledCoupon | undefined, at: number) {
  const validDays = template?.validDays ?? null;
  return {
    validFrom: template?.validFrom ?? at,
    validUntil: minOf(template?.validUntil ?? null, validDays === null ? null : at + validDays * DAY_MS),
  };
}

/**
 * What is due at `now` and not yet stored: each grant issues `count` coupons of each item at the start
 * of each `period` (by the pack's anchor: the member's calendar, or the anniversaries of the grant's
 * membership — usage-period.ts; the first period is issued at effectiveFrom) while the grant lasts. A
 * template another grant of the same benefit already issued for an overlapping period is not issued
 * again (an upgrade or a scheduled downgrade does not double the month). Also: coupons of a grant
 * ended by refund whose window outlasts the refund.
 */
export function dueIssues(
  catalog: CompiledCatalog,
  grants: readonly PackGrant[],
  existing: readonly MemberCouponRecord[],
  timeZone: string,
  memberId: string,
  now: number,
): DueIssues {
  const grantsById = new Map(grants.map((g) => [g.id, g]));
  const held = new Set(existing.map((c) => `${c.grantId}|${c.template}|${c.periodStart}|${c.sequence}`));
  // Issued (or about to be) per benefit, for the overlap rule; refunded grants' coupons do not count.
  const covering = existing.filter((c) => {
    const grant = c.grantId === null ? undefined : grantsById.get(c.grantId);
    return grant !== undefined && cutAt(grant) === null;
  });
  const issue: DueIssues["issue"] = [];
  const ordered = [...grants].sort((a, b) => a.effectiveFrom - b.effectiveFrom || a.id.localeCompare(b.id));
  for (const grant of ordered) {
    const benefit = catalog.benefits.get(grant.benefit);
    const pack = benefit?.kind === "coupon_pack" ? benefit.couponPack : null;
    if (!benefit || !pack) continue;
    const end = minOf(grant.expiresAt, grant.endedAt)!;
    const cut = cutAt(grant);
    // Every period before the latest one issued is complete (a period is issued in one
    // transaction): start there, with its stored bounds, so a read that owes nothing needs no
    // calendar arithmetic at all.
    const latest = existing.reduce<MemberCouponRecord | null>(
      (max, c) => (c.grantId === grant.id && (max === null || c.periodStart > max.periodStart) ? c : max),
      null,
    );
    let period =
      latest !== null
        ? { start: latest.periodStart, end: latest.periodEnd }
        : periodAt(pack.period, pack.anchor, grant.effectiveFrom, timeZone, grant.membershipStart);
    for (let n = 0; n < MAX_PERIODS_PER_READ; n++) {
      const issuedAt = Math.max(period.start, grant.effectiveFrom);
      if (issuedAt >= end || issuedAt > now) break;
      for (const item of pack.items) {
        const overlapped = covering.some(
          (c) =>
            c.benefit === grant.benefit &&
            c.grantId !== grant.id &&
            c.template === item.coupon &&
            c.periodStart < period.end &&
            period.start < c.periodEnd,
        );
        if (overlapped) continue;
        const template = catalog.coupons.get(item.coupon);
        // A template whose own window has closed is not issued: the member would only hold an expired coupon.
        if (template?.validUntil != null && template.validUntil <= issuedAt) continue;
        for (let sequence = 0; sequence < item.count; sequence++) {
          if (held.has(`${grant.id}|${item.coupon}|${period.start}|${sequence}`)) continue;
          const automatic = benefit.activation !== "claim";
          const window = automatic
            ? claimedWindow(template, issuedAt)
            : // Unclaimed: the claim deadline is the end of its period, or the template's end if earlier.
              {
                validFrom: template?.validFrom ?? issuedAt,
                validUntil: minOf(period.end, template?.validUntil ?? null),
              };
          const coupon = {
            memberId,
            template: item.coupon,
            benefit: grant.benefit,
            grantId: grant.id,
            periodStart: period.start,
            periodEnd: period.end,
            sequence,
            issuedAt,
            claimedAt: automatic ? issuedAt : null,
            validFrom: window.validFrom,
            validUntil: cut === null ? window.validUntil : minOf(window.validUntil, cut),
            status: "issued" as const,
            orderRef: null,
          };
          issue.push(coupon);
          covering.push({ ...coupon, id: "" });
        }
      }
      // The next period starts where this one ends: only compute it when it is due.
      if (period.end >= end || period.end > now) break;
      period = periodAfter(pack.period, pack.anchor, period.end, timeZone, grant.membershipStart);
    }
  }
  const cuts: CouponCut[] = [];
  for (const coupon of existing) {
    const grant = coupon.grantId === null ? undefined : grantsById.get(coupon.grantId);
    const cut = grant ? cutAt(grant) : null;
    if (cut === null || coupon.status === "used") continue;
    if (coupon.validUntil === null || coupon.validUntil > cut) cuts.push({ id: coupon.id, validUntil: cut });
  }
  return { issue, cut: cuts };
}
