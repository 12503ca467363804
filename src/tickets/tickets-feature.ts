import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { DecisionService } from "../decisions/decision-service.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { MemberService } from "../members/member-service.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { DiagnosisService } from "../support/diagnosis-service.js";
import type { TimelineService } from "../timeline/timeline-service.js";
import { SelfResolveService, ticketAutoCloseJobHandler } from "./self-resolve-service.js";
import { ticketSlaJobHandler } from "./sla-job.js";
import { TicketDeskService } from "./ticket-desk-service.js";
import { TicketService } from "./ticket-service.js";

/** The support desk: tickets with frozen evidence, the agents' desk, self-resolving, and their jobs. */
export function createTicketsFeature(deps: {
  data: Pick<DataAccess, "tickets">;
  writes: MemberWrites;
  clock: Clock;
  members: MemberService;
  timeline: TimelineService;
  diagnosis: DiagnosisService;
  catalog: CatalogService;
  decisions: DecisionService;
  dispatcher: EventDispatcher;
  onError?: (error: unknown, context: string) => void;
}) {
  const { data, writes, clock, members, timeline, diagnosis, catalog, decisions } = deps;
  const tickets = new TicketService({
    store: data.tickets,
    writes,
    clock,
    members,
    timeline,
    diagnosis,
    catalog,
    decisions,
  });
  const selfResolve = new SelfResolveService({ tickets, store: data.tickets, decisions, writes, clock });
  // An event is dispatched once, on the node that numbered it: that node rechecks the member's
  // tickets. Not durable across a crash in between; the member's next change rechecks them again.
  deps.dispatcher.onDispatched((events) => {
    for (const event of events) {
      if (event.type !== "entitlements.changed" || event.memberId === null) continue;
      const cause = String((JSON.parse(event.data) as { cause?: unknown }).cause ?? "your records changed");
      selfResolve.recheck(event.memberId, cause).catch((error) => deps.onError?.(error, "ticket recheck"));
    }
  });
  return {
    tickets,
    selfResolve,
    desk: new TicketDeskService({ tickets, store: data.tickets, writes, clock }),
    jobHandlers: [ticketSlaJobHandler, ticketAutoCloseJobHandler],
  };
}
