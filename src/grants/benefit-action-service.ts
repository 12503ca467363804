import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import type { TimelineSource } from "../timeline/timeline-types.js";
import type { GrantRecord } from "./grant-rows.js";

/** Claims the coupons a coupon_pack benefit issued, in the benefit claim's transaction; returns their ids. */
export type CouponPackClaim = (
  scope: MemberWriteScope,
  memberId: string,
  benefit: string,
  source: TimelineSource,
) => Promise<string[]>;

/** What members do to their own benefits: claim one that needs claiming, switch a toggle on or off. */
export class BenefitActionService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      writes: MemberWrites;
      clock: Clock;
      /** The coupons feature's claim (coupon-service.ts), called in the benefit claim's transaction. */
      claimCouponPack?: CouponPackClaim;
    },
  ) {}

  async claim(memberId: string, benefitCode: string, source: TimelineSource) {
    const benefit = this.requireActivation(benefitCode, "claim");
    return this.deps.writes.run(async (scope) => {
      const grant = await this.lockCoveringGrant(scope, memberId, benefitCode);
      // A coupon_pack's coupons of every period wait for a claim: each claim of the benefit takes them.
      const coupons =
        benefit.kind === "coupon_pack" && this.deps.claimCouponPack
          ? { claimedCoupons: await this.deps.claimCouponPack(scope, memberId, benefitCode, source) }
          : {};
      if (grant.claimedAt) {
        return {
          benefit: benefitCode,
          claimedAt: grant.claimedAt.toISOString(),
          alreadyClaimed: true,
          ...coupons,
        };
      }
      const at = new Date(this.deps.clock.now());
      await scope.stores.grants.setClaimed(grant.id, at);
      const change = { benefit: benefitCode, grantId: grant.id };
      const entitlementsVersion = await scope.entitlementsChanged(memberId, "benefit.claimed", change, {
        source,
        entries: [{ kind: "benefit.claimed", data: change }],
      });
      return {
        benefit: benefitCode,
        claimedAt: at.toISOString(),
        alreadyClaimed: false,
        entitlementsVersion,
        ...coupons,
      };
    });
  }

  async toggle(memberId: string, benefitCode: string, on: boolean, source: TimelineSource) {
    this.requireActivation(benefitCode, "toggle");
    return this.deps.writes.run(async (scope) => {
      const grant = await this.lockCoveringGrant(scope, memberId, benefitCode);
      if (grant.toggledOn === on) return { benefit: benefitCode, on, changed: false };
      await scope.stores.grants.setToggle(grant.id, on);
      const kind = on ? "benefit.toggled_on" : "benefit.toggled_off";
      const change = { benefit: benefitCode, grantId: grant.id };
      const entitlementsVersion = await scope.entitlementsChanged(memberId, kind, change, {
        source,
        entries: [{ kind, data: change }],
      });
      return { benefit: benefitCode, on, changed: true, entitlementsVersion };
    });
  }

  private requireActivation(benefitCode: string, activation: "claim" | "toggle") {
    const benefit = this.deps.catalog.require().benefits.get(benefitCode);
    if (!benefit)
      throw new AppError("BENEFIT_NOT_FOUND", `Benefit ${benefitCode} is not in the catalog.`, [], {
        variant: "code",
        params: { benefit: benefitCode },
      });
    if (benefit.activation !== activation) {
      throw new AppError(
        "CONFLICT",
        `Benefit ${benefitCode} is activated "${benefit.activation}", so it cannot be ${activation === "claim" ? "claimed" : "toggled"}.`,
        [],
        { variant: "activation", params: { benefit: benefitCode, activation: benefit.activation } },
      );
    }
    return benefit;
  }

  /** The member's grant of the benefit that covers now (membership not ended), locked. */
  private async lockCoveringGrant(
    scope: MemberWriteScope,
    memberId: string,
    benefitCode: string,
  ): Promise<GrantRecord> {
    const member = await scope.stores.members.lock(memberId);
    if (!member)
      throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
        variant: "id",
        params: { memberId: memberId },
      });
    const now = this.deps.clock.now();
    const grants = await scope.stores.grants.lockActive(memberId, benefitCode);
    const covering = grants.find((g) => g.expiresAt.getTime() > now);
    if (!covering) {
      throw new AppError(
        "BENEFIT_NOT_GRANTED",
        `Member ${memberId} holds no current grant of ${benefitCode}: check the decision for the reason.`,
      );
    }
    return covering;
  }
}
