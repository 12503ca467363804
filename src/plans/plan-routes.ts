import { preferredLocale, readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { MemberPlansSchema, PlansSchema } from "./plan-schemas.js";
import type { PlanService } from "./plan-service.js";

/** The services these routes use. */
export interface PlanRouteDeps {
  plans: PlanService;
}

/** Every plan's benefits and rules in words: the shop's view and the member's own. */
export function registerPlanRoutes(server: Server, { plans }: PlanRouteDeps): void {
  server.get(
    "/v1/plans",
    {
      // Public mode (PERKWISE_PUBLIC_PLANS=true): the platform's shop pages read it with no credential.
      config: plans.isPublic ? {} : { roles: ["service", "support"] },
      schema: {
        tags: ["plans"],
        summary:
          "Tiers, plans and every benefit's rules in words, with the catalog version and its last changes",
        description:
          "Language: Accept-Language (default zh-CN); times in China's time zone. Needs a service or support key, or none when PERKWISE_PUBLIC_PLANS=true.",
        response: { 200: PlansSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => plans.plans(preferredLocale(request.headers["accept-language"])),
  );
  server.get(
    "/v1/me/plans",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary:
          "Plans and rules in my language and time zone: what I hold, what each plan would do for me today (upgrade credit included), the changes that touched my tier",
        response: { 200: MemberPlansSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => plans.memberPlans(memberOf(request.principal), readerLocale(request)),
  );
}
