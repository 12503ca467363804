import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { MemberService } from "../members/member-service.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { DiagnosisService } from "../support/diagnosis-service.js";
import type { TimelineService } from "../timeline/timeline-service.js";
import { ticketSlaJobHandler } from "./sla-job.js";
import { TicketDeskService } from "./ticket-desk-service.js";
import { TicketService } from "./ticket-service.js";

/** The support desk: tickets with frozen evidence, the agents' desk, and the SLA job. */
export function createTicketsFeature(deps: {
  data: Pick<DataAccess, "tickets">;
  writes: MemberWrites;
  clock: Clock;
  members: MemberService;
  timeline: TimelineService;
  diagnosis: DiagnosisService;
  catalog: CatalogService;
}) {
  const { data, writes, clock, members, timeline, diagnosis, catalog } = deps;
  const tickets = new TicketService({
    store: data.tickets,
    writes,
    clock,
    members,
    timeline,
    diagnosis,
    catalog,
  });
  return {
    tickets,
    desk: new TicketDeskService({ tickets, store: data.tickets, writes, clock }),
    jobHandlers: [ticketSlaJobHandler],
  };
}
