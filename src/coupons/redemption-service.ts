import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError, type ErrorDetail, type Refusal } from "../errors.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import type { TimelineSource } from "../timeline/timeline-types.js";
import type { CouponService } from "./coupon-service.js";
import type { CouponStore, RedemptionRecord } from "./coupon-store.js";
import { couponUsage } from "./coupon-views.js";
import { type RedemptionCheck, redemptionChecks, totalLimitProblem } from "./redemption-checks.js";

export interface RedeemInput {
  memberId: string;
  orderRef: string;
  coupons: string[];
}

/** A redemption as the API answers it. */
export interface RedemptionView {
  orderRef: string;
  memberId: string;
  status: RedemptionRecord["status"];
  coupons: { couponId: string; code: string }[];
  lockedAt: string;
  completedAt: string | null;
  releasedAt: string | null;
}

/** Redeemed (replayed for a repeat), or refused (COUPON_NOT_REDEEMABLE) with every coupon's problems. */
export type RedeemAnswer = { kind: "redeemed"; redemption: RedemptionView & { replayed: boolean } } | Refusal;

/** Thrown inside the transaction to roll it back when the conditional counter update refuses. */
class Refused extends Error {
  constructor(readonly checks: RedemptionCheck[]) {
    super("coupon redemption refused");
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

function view(r: RedemptionRecord): RedemptionView {
  const body = r.response as unknown as RedemptionView;
  return {
    ...body,
    status: r.status,
    completedAt: r.completedAt?.toISOString() ?? null,
    releasedAt: r.releasedAt?.toISOString() ?? null,
  };
}

function refusal(checks: RedemptionCheck[]): Refusal {
  const details: ErrorDetail[] = checks.map((check, i) => ({
    path: `/coupons/${i}`,
    message: check.problems[0]?.message ?? "redeemable",
    couponId: check.couponId,
    reasons: check.problems,
  }));
  const blocked = checks.filter((c) => c.problems.length > 0).length;
  return {
    kind: "refused",
    code: "COUPON_NOT_REDEEMABLE",
    message: `${blocked} of ${checks.length} coupon(s) cannot be redeemed; nothing was locked.`,
    details,
  };
}

/**
 * Locks coupons to an order (all or nothing, idempotent by orderRef), completes and releases them.
 * Every write runs under the member's row lock; the global limit holds across processes through a
 * conditional update of the template's counter.
 */
export class RedemptionService {
  private readonly catalog: CatalogService;
  private readonly coupons: CouponService;
  private readonly writes: MemberWrites;
  /** Finds a redemption before its member is locked (the lock needs the member id). */
  private readonly store: CouponStore;
  private readonly clock: Clock;

  constructor(deps: {
    catalog: CatalogService;
    coupons: CouponService;
    writes: MemberWrites;
    store: CouponStore;
    clock: Clock;
  }) {
    this.catalog = deps.catalog;
    this.coupons = deps.coupons;
    this.writes = deps.writes;
    this.store = deps.store;
    this.clock = deps.clock;
  }

  async redeem(input: RedeemInput, source: TimelineSource): Promise<RedeemAnswer> {
    const { memberId, orderRef } = input;
    try {
      return await this.writes.run(async (scope) => {
        if (!(await scope.stores.members.lock(memberId))) {
          throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
            variant: "id",
            params: { memberId: memberId },
          });
        }
        const earlier = await scope.stores.coupons.findRedemption(orderRef);
        if (earlier) return replay(earlier, input);
        const now = this.clock.now();
        const { held } = await this.coupons.issueDue(scope, memberId, now);
        const templates = this.catalog.require().coupons;
        const usage = couponUsage(held.coupons, held.totalUsed);
        const checks = redemptionChecks(input.coupons, held.coupons, templates, usage, now);
        if (checks.some((c) => c.problems.length > 0)) return refusal(checks);

        const chosen = input.coupons.map((id) => held.coupons.find((c) => c.id === id)!);
        const body: RedemptionView = {
          orderRef,
          memberId,
          status: "locked",
          coupons: chosen.map((c) => ({ couponId: c.id, code: c.template })),
          lockedAt: new Date(now).toISOString(),
          completedAt: null,
          releasedAt: null,
        };
        const stored = await scope.stores.coupons.insertRedemption({
          orderRef,
          memberId,
          couponIds: input.coupons,
          status: "locked",
          response: { ...body },
          lockedAt: new Date(now),
        });
        // Taken by another member's redemption committed (or committing) meanwhile.
        if (!stored) throw orderRefTaken(orderRef);
        await scope.stores.coupons.lockToOrder(input.coupons, orderRef, new Date(now));
        await this.countUsage(scope, chosen, input.coupons);
        await this.record(scope, memberId, source, "locked", body.coupons, orderRef);
        return { kind: "redeemed", redemption: { ...body, replayed: false } };
      });
    } catch (error) {
      if (error instanceof Refused) return refusal(error.checks);
      throw error;
    }
  }

  async complete(orderRef: string, source: TimelineSource): Promise<RedemptionView> {
    return this.transition(orderRef, async (scope, r, now) => {
      if (r.status === "completed") return r;
      if (r.status === "released") {
        throw new AppError(
          "CONFLICT",
          `The coupons of order ${orderRef} were released; it cannot complete.`,
          [],
          {
            variant: "released",
          },
        );
      }
      await scope.stores.coupons.moveOrderCoupons(r.memberId, orderRef, ["locked"], "used", now);
      await scope.stores.coupons.setRedemptionStatus(orderRef, "completed", now);
      await this.record(scope, r.memberId, source, "used", view(r).coupons, orderRef);
      return { ...r, status: "completed", completedAt: now };
    });
  }

  /** Returns the order's coupons (locked or used) and their counts; a second release changes nothing. */
  async release(orderRef: string, source: TimelineSource): Promise<RedemptionView> {
    return this.transition(orderRef, async (scope, r, now) => {
      if (r.status === "released") return r;
      const templates = await scope.stores.coupons.moveOrderCoupons(
        r.memberId,
        orderRef,
        ["locked", "used"],
        "issued",
        now,
      );
      const counts = new Map<string, number>();
      for (const t of templates) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [template, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
        await scope.stores.coupons.removeUsage(template, n);
      }
      await scope.stores.coupons.setRedemptionStatus(orderRef, "released", now);
      await this.record(scope, r.memberId, source, "released", view(r).coupons, orderRef);
      return { ...r, status: "released", releasedAt: now };
    });
  }

  /** Runs `change` on the redemption with its member's row locked. */
  private async transition(
    orderRef: string,
    change: (scope: MemberWriteScope, r: RedemptionRecord, now: Date) => Promise<RedemptionRecord>,
  ): Promise<RedemptionView> {
    const notFound = () =>
      new AppError("REDEMPTION_NOT_FOUND", `No coupons were redeemed for order ${orderRef}.`, [
        { path: "/orderRef", message: "no redemption under this order reference" },
      ]);
    const first = await this.store.findRedemption(orderRef);
    if (!first) throw notFound();
    return this.writes.run(async (scope) => {
      await scope.stores.members.lock(first.memberId);
      const current = await scope.stores.coupons.findRedemption(orderRef);
      if (!current) throw notFound();
      return view(await change(scope, current, new Date(this.clock.now())));
    });
  }

  /** Adds the coupons to their templates' counters, in template order (no two orders deadlock). */
  private async countUsage(
    scope: MemberWriteScope,
    chosen: { id: string; template: string }[],
    requested: readonly string[],
  ) {
    const templates = this.catalog.require().coupons;
    const counts = new Map<string, number>();
    for (const c of chosen) counts.set(c.template, (counts.get(c.template) ?? 0) + 1);
    for (const [template, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      const limit = templates.get(template)?.total ?? null;
      if (await scope.stores.coupons.addUsage(template, n, limit)) continue;
      // Others took the last uses between our read and now: refuse, and roll back every write.
      const problem = totalLimitProblem(limit!, null, n);
      throw new Refused(
        requested.map((couponId) => ({
          couponId,
          problems: chosen.find((c) => c.id === couponId)?.template === template ? [problem] : [],
        })),
      );
    }
  }

  private async record(
    scope: MemberWriteScope,
    memberId: string,
    source: TimelineSource,
    what: "locked" | "used" | "released",
    coupons: { couponId: string; code: string }[],
    orderRef: string,
  ) {
    const data = { orderRef, coupons };
    await scope.record(memberId, source, { kind: `coupons.${what}`, data });
    await scope.stores.outbox.append({ memberId, type: `coupon.${what}`, payload: { memberId, ...data } });
  }
}

function orderRefTaken(orderRef: string): AppError {
  return new AppError(
    "IDEMPOTENCY_CONFLICT",
    `Order ${orderRef} has coupons redeemed by another request; use a new orderRef for a different redemption.`,
    [{ path: "/orderRef", message: "already used for a different redemption" }],
  );
}

/** The first answer again, if the repeat asks for the same member and coupons. */
function replay(earlier: RedemptionRecord, input: RedeemInput): RedeemAnswer {
  if (earlier.memberId !== input.memberId || !sameSet(earlier.couponIds, input.coupons)) {
    throw orderRefTaken(input.orderRef);
  }
  return {
    kind: "redeemed",
    redemption: { ...(earlier.response as unknown as RedemptionView), replayed: true },
  };
}
