import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberWrites } from "../members/member-writes.js";
import { BenefitActionService, type CouponPackClaim } from "./benefit-action-service.js";
import { QUOTA_RESET_JOB } from "./quota-reset-job.js";
import { QuotaService } from "./quota-service.js";

/** What members do with their grants: claims and toggles, metered usage, and the quotas' resets. */
export function createGrantsFeature(deps: {
  catalog: CatalogService;
  writes: MemberWrites;
  clock: Clock;
  claimCouponPack?: CouponPackClaim;
}) {
  const { catalog, writes, clock } = deps;
  return {
    benefits: new BenefitActionService({ catalog, writes, clock, claimCouponPack: deps.claimCouponPack }),
    quotas: new QuotaService({ catalog, writes, clock }),
    jobHandlers: [QUOTA_RESET_JOB.handler] satisfies JobHandler[],
  };
}
