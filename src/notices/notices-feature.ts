import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberService } from "../members/member-service.js";
import { catalogActivation } from "./catalog-activation.js";
import { NoticeService } from "./notice-service.js";

/** Rule-change notices: written when a catalog version comes into force (a job), read by members. */
export function createNoticesFeature(deps: {
  data: Pick<DataAccess, "notices">;
  members: MemberService;
  catalog: CatalogService;
  clock: Clock;
}) {
  const { data, members, catalog, clock } = deps;
  return {
    notices: new NoticeService({ store: data.notices, members, catalog, clock }),
    jobHandlers: [catalogActivation(catalog)] satisfies JobHandler[],
  };
}
