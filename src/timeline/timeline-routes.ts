import { memberOf } from "../http/auth-hook.js";
import { TimelineSchema } from "../http/member-view-schemas.js";
import { errors, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { TimelineService } from "./timeline-service.js";

/** The services these routes use. */
export interface TimelineRouteDeps {
  timeline: TimelineService;
}

/** The member timeline, for the platform and support, and for the member. */
export function registerTimelineRoutes(server: Server, { timeline }: TimelineRouteDeps): void {
  server.get(
    "/v1/members/:memberId/timeline",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags: ["members"],
        summary: "Every event that touched the member, in order, with its time and source",
        params: MemberParams,
        response: { 200: TimelineSchema, ...errors(404) },
      },
    },
    async (request) => timeline.forMember(request.params.memberId),
  );
  server.get(
    "/v1/me/timeline",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Everything that happened to my membership",
        response: { 200: TimelineSchema },
      },
    },
    async (request) => timeline.forMember(memberOf(request.principal)),
  );
}
