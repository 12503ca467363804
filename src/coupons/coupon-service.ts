import type { CatalogService } from "../catalog/catalog-service.js";
import type { Locale } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import type { MemberCache, SnapshotCache } from "../decisions/snapshot-cache.js";
import { messageLocale, type RequestLocale } from "../engine/decision-context.js";
import { AppError } from "../errors.js";
import { newId } from "../ids.js";
import type { MemberWriteScope, MemberWrites, TimelineChange } from "../members/member-writes.js";
import type { TimelineSource } from "../timeline/timeline-types.js";
import { claimedWindow, dueIssues } from "./coupon-issuance.js";
import { couponState } from "./coupon-state.js";
import type { CouponHolder, CouponStore, HeldCoupons } from "./coupon-store.js";
import type { CouponUsage, MemberCouponView } from "./coupon-types.js";
import { type CouponListItem, couponItem, couponUsage } from "./coupon-views.js";

/** A member's coupons after issuance caught up, with what the reads found. */
export interface CurrentCoupons {
  holder: CouponHolder;
  held: HeldCoupons;
}

/** How long a cached member's view of the templates' global usage may lag (ms). */
const GLOBAL_USAGE_LAG_MS = 1000;

/** The one answer for a coupon that is not the caller's: the same whether it exists or not. */
export function couponNotFound(): AppError {
  // No id in the message: the answer must not differ in any byte between the two cases.
  return new AppError("COUPON_NOT_FOUND", "No such coupon among this member's coupons.", [
    { path: "/couponId", message: "no such coupon for this member" },
  ]);
}

function memberNotFound(memberId: string): AppError {
  return new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
    variant: "id",
    params: { memberId: memberId },
  });
}

/**
 * Issues coupon_pack coupons lazily and idempotently, lists and claims them. Every read of a member's
 * coupons first issues what is due (a write under the member lock only when something is missing).
 */
export class CouponService {
  /**
   * What the member holds, cached beside the member's snapshot: every write to the member (each
   * coupon write records a timeline entry, which drops it) and every catalog change drops it. The
   * templates' global usage counts come with it, so they may lag other members' redemptions by up
   * to a second (the entry's lifetime); redemption itself checks the counters in the database.
   */
  private readonly reads: MemberCache<{ holder: CouponHolder | null; held: HeldCoupons }>;

  private readonly catalog: CatalogService;
  private readonly writes: MemberWrites;
  private readonly clock: Clock;

  /** `store` reads outside a transaction (the cached reads); writes go through `writes`. */
  constructor(deps: {
    catalog: CatalogService;
    writes: MemberWrites;
    store: CouponStore;
    clock: Clock;
    snapshots: SnapshotCache;
    cacheSize?: number;
  }) {
    this.catalog = deps.catalog;
    this.writes = deps.writes;
    this.clock = deps.clock;
    const store = deps.store;
    this.reads = deps.snapshots.attach(
      async (memberId) => {
        const [holder, held] = await Promise.all([store.holder(memberId), store.held(memberId)]);
        return { holder, held };
      },
      deps.cacheSize ?? 100_000,
      GLOBAL_USAGE_LAG_MS,
    );
  }

  /** The member's coupons, issuing what is due at `at` first: no read at all when cached and nothing is due. */
  async current(memberId: string, at = this.clock.now()): Promise<CurrentCoupons> {
    const { holder, held } = this.reads.peek(memberId) ?? (await this.reads.get(memberId));
    if (!holder) throw memberNotFound(memberId);
    const due = dueIssues(this.catalog.require(), holder.grants, held.coupons, holder.timezone, memberId, at);
    if (due.issue.length === 0 && due.cut.length === 0) return { holder, held };
    return this.writes.run(async (scope) => {
      if (!(await scope.stores.members.lock(memberId))) throw memberNotFound(memberId);
      return this.issueDue(scope, memberId, at);
    });
  }

  /**
   * With the member's row locked: issues what is due at `at` (and cuts the coupons of refunded
   * grants), recording it in the timeline and the outbox; returns the coupons after it.
   */
  async issueDue(scope: MemberWriteScope, memberId: string, at: number): Promise<CurrentCoupons> {
    const { coupons } = scope.stores;
    const holder = await coupons.holder(memberId);
    if (!holder) throw memberNotFound(memberId);
    const held = await coupons.held(memberId);
    const due = dueIssues(this.catalog.require(), holder.grants, held.coupons, holder.timezone, memberId, at);
    if (due.issue.length === 0 && due.cut.length === 0) return { holder, held };
    const rows = due.issue.map((c) => ({ ...c, id: newId("cpn") }));
    const inserted = new Set(await coupons.insert(rows));
    await coupons.cut(due.cut);
    const entries: TimelineChange[] = [];
    const byBenefit = new Map<string, { couponId: string; code: string }[]>();
    for (const row of rows) {
      if (!inserted.has(row.id)) continue;
      const list = byBenefit.get(row.benefit ?? "") ?? [];
      list.push({ couponId: row.id, code: row.template });
      byBenefit.set(row.benefit ?? "", list);
    }
    for (const [benefit, issued] of byBenefit) {
      entries.push({ kind: "coupons.issued", data: { benefit, count: issued.length, coupons: issued } });
    }
    if (due.cut.length > 0) {
      entries.push({
        kind: "coupons.expired",
        data: { reason: "grant_refunded", coupons: due.cut.map((c) => c.id) },
      });
    }
    if (entries.length > 0) {
      await scope.record(memberId, "system", ...entries);
      for (const entry of entries) {
        const type = entry.kind === "coupons.issued" ? "coupon.issued" : "coupon.expired";
        await scope.stores.outbox.append({ memberId, type, payload: { memberId, ...entry.data } });
      }
    }
    return { holder, held: await coupons.held(memberId) };
  }

  async list(memberId: string, requestLocale: RequestLocale): Promise<{ coupons: CouponListItem[] }> {
    const now = this.clock.now();
    const { holder, held } = await this.current(memberId, now);
    const locale = messageLocale(holder.locale as Locale | null, requestLocale);
    const catalog = this.catalog.require();
    return { coupons: held.coupons.map((c) => couponItem(c, catalog, locale, now)) };
  }

  /** What checkout evaluation needs: every coupon the member holds and the usage of their templates. */
  async loadForCheckout(
    memberId: string,
    at: number,
  ): Promise<{ coupons: MemberCouponView[]; usage: CouponUsage }> {
    // Never issue ahead of time: an evaluation "as of" a future instant sees today's coupons.
    const { held } = await this.current(memberId, Math.min(at, this.clock.now()));
    return { coupons: held.coupons, usage: couponUsage(held.coupons, held.totalUsed) };
  }

  /** Claims one coupon; claiming one already claimed answers the same, with alreadyClaimed. */
  async claim(memberId: string, couponId: string, source: TimelineSource, requestLocale: RequestLocale) {
    return this.writes.run(async (scope) => {
      if (!(await scope.stores.members.lock(memberId))) throw memberNotFound(memberId);
      const now = this.clock.now();
      const { holder, held } = await this.issueDue(scope, memberId, now);
      const coupon = held.coupons.find((c) => c.id === couponId);
      if (!coupon) throw couponNotFound();
      const catalog = this.catalog.require();
      const locale = messageLocale(holder.locale as Locale | null, requestLocale);
      if (coupon.claimedAt !== null) {
        return { ...couponItem(coupon, catalog, locale, now), alreadyClaimed: true };
      }
      if (couponState(coupon, now) === "expired") {
        throw new AppError(
          "COUPON_NOT_CLAIMABLE",
          `Coupon ${couponId} could be claimed until ${new Date(coupon.validUntil!).toISOString()}.`,
          [{ path: "/couponId", message: "the claim deadline has passed", claimDeadline: coupon.validUntil }],
        );
      }
      const claimed = this.applyClaim(coupon, now);
      await scope.stores.coupons.setClaimed(coupon.id, now, claimed.validFrom, claimed.validUntil);
      const data = { couponId: coupon.id, code: coupon.template, benefit: coupon.benefit };
      await scope.record(memberId, source, { kind: "coupon.claimed", data });
      await scope.stores.outbox.append({ memberId, type: "coupon.claimed", payload: { memberId, ...data } });
      return { ...couponItem(claimed, catalog, locale, now), alreadyClaimed: false };
    });
  }

  /**
   * Claiming a coupon_pack benefit claims every coupon of it waiting to be claimed, in the benefit
   * claim's transaction (the member's row is locked). Returns their ids.
   */
  async claimForBenefit(
    scope: MemberWriteScope,
    memberId: string,
    benefit: string,
    source: TimelineSource,
  ): Promise<string[]> {
    const now = this.clock.now();
    const { held } = await this.issueDue(scope, memberId, now);
    const waiting = held.coupons.filter((c) => c.benefit === benefit && couponState(c, now) === "unclaimed");
    for (const coupon of waiting) {
      const claimed = this.applyClaim(coupon, now);
      await scope.stores.coupons.setClaimed(coupon.id, now, claimed.validFrom, claimed.validUntil);
    }
    if (waiting.length > 0) {
      const data = { benefit, coupons: waiting.map((c) => ({ couponId: c.id, code: c.template })) };
      await scope.record(memberId, source, { kind: "coupons.claimed", data });
      await scope.stores.outbox.append({ memberId, type: "coupon.claimed", payload: { memberId, ...data } });
    }
    return waiting.map((c) => c.id);
  }

  private applyClaim<T extends MemberCouponView>(coupon: T, now: number): T {
    const window = claimedWindow(this.catalog.require().coupons.get(coupon.template), now);
    return { ...coupon, claimedAt: now, ...window };
  }
}
