/**
 * Self-resolving tickets (issue 16, item 9): when the benefit a ticket names becomes allowed for its
 * member (the late payment arrived, the hold was cleared, a repair ran), the ticket gets a system
 * message saying what changed and is resolved, asking the member to confirm; without an answer it
 * closes after the policy's `autoCloseAfter` (a durable job). A reply reopens it as any reply does.
 */
import type { Clock } from "../clock.js";
import type { DecisionService } from "../decisions/decision-service.js";
import { AppError } from "../errors.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberWrites } from "../members/member-writes.js";
import { resolvedSla } from "./sla-state.js";
import { DEFAULT_SUPPORT_POLICY } from "./support-policy.js";
import { changeTicket, SYSTEM_ACTOR, type TicketActor } from "./ticket-changes.js";
import type { TicketService } from "./ticket-service.js";
import type { TicketStore } from "./ticket-store.js";

export const TICKET_AUTO_CLOSE_JOB = "ticket.auto_close";

export class SelfResolveService {
  constructor(
    private readonly deps: {
      tickets: TicketService;
      store: TicketStore;
      decisions: DecisionService;
      writes: MemberWrites;
      clock: Clock;
    },
  ) {}

  /** After the member's entitlements changed (`cause`: what changed them): resolves what now works. */
  async recheck(memberId: string, cause: string): Promise<number> {
    const open = (await this.deps.store.listForMember(memberId)).filter(
      (t) => t.benefit !== null && (t.status === "open" || t.status === "waiting_on_member"),
    );
    let resolved = 0;
    for (const ticket of open) {
      const decision = await this.deps.decisions.check({ memberId, benefit: ticket.benefit! }, null);
      if (!decision.allowed) continue;
      if (await this.resolve(ticket.id, cause)) resolved++;
    }
    return resolved;
  }

  private async resolve(ticketId: string, cause: string): Promise<boolean> {
    const policy = await this.deps.tickets.policy();
    return this.deps.writes.run(async (scope) => {
      const found = await scope.stores.tickets.get(ticketId);
      if (found === null) return false;
      await scope.stores.members.lock(found.memberId);
      const ticket = (await scope.stores.tickets.get(ticketId))!;
      if (ticket.status !== "open" && ticket.status !== "waiting_on_member") return false;
      const now = this.deps.clock.now();
      const closesAt = new Date(this.deps.tickets.autoCloseAt(policy, now));
      const message = await this.deps.tickets.addMessage(scope, ticket, {
        visibility: "system",
        author: "system",
        agent: null,
        body:
          `${ticket.benefit} works for you now (${cause}). Did this solve your problem? ` +
          `Confirm, or reply if it did not; without an answer this ticket closes at ${closesAt.toISOString()}.`,
        files: [],
        at: new Date(now),
      });
      const resolvedAt = new Date(now);
      await changeTicket(
        { scope, policy, now, actor: SYSTEM_ACTOR },
        ticket,
        {
          status: "resolved",
          resolution: `self-resolved: ${cause}`,
          resolvedAt,
          sla: resolvedSla(ticket.sla, now),
        },
        { kind: "self_resolved", data: { messageId: message.id, cause, closesAt: closesAt.toISOString() } },
      );
      await scope.stores.jobs.schedule([
        {
          kind: TICKET_AUTO_CLOSE_JOB,
          key: `${TICKET_AUTO_CLOSE_JOB}:${ticketId}:${now}`,
          memberId: ticket.memberId,
          runAt: closesAt,
          payload: { ticketId, resolvedAt: resolvedAt.toISOString() },
        },
      ]);
      return true;
    });
  }

  /** The member confirms a resolved ticket: it closes now. */
  async confirm(memberId: string, ticketId: string) {
    const policy = await this.deps.tickets.policy();
    const ticket = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      const before = await scope.stores.tickets.get(ticketId);
      if (before === null || before.memberId !== memberId) {
        throw new AppError("TICKET_NOT_FOUND", `Ticket ${ticketId} does not exist.`);
      }
      if (before.status !== "resolved") {
        throw new AppError("TICKET_NOT_OPEN", `Ticket ${ticketId} is ${before.status}.`, [
          { path: "", message: `is ${before.status}, not resolved`, status: before.status },
        ]);
      }
      const now = this.deps.clock.now();
      const actor: TicketActor = { id: `member:${memberId}`, source: "member", agent: null };
      return changeTicket(
        { scope, policy, now, actor },
        before,
        { status: "closed", closedAt: new Date(now) },
        { kind: "closed", data: { confirmedBy: "member" } },
      );
    });
    return this.deps.tickets.memberView(ticket);
  }
}

/** Closes a self-resolved ticket the member did not answer; a reply since then (reopened) keeps it open. */
export const ticketAutoCloseJobHandler: JobHandler = {
  kind: TICKET_AUTO_CLOSE_JOB,
  async run(scope, jobs, now) {
    const policy = (await scope.stores.tickets.policy()) ?? DEFAULT_SUPPORT_POLICY;
    for (const job of jobs) {
      const { ticketId, resolvedAt } = job.payload as { ticketId: string; resolvedAt: string };
      const found = await scope.stores.tickets.get(ticketId);
      if (found === null) continue;
      await scope.stores.members.lock(found.memberId);
      const ticket = (await scope.stores.tickets.get(ticketId))!;
      if (ticket.status !== "resolved" || ticket.resolvedAt?.toISOString() !== resolvedAt) continue;
      await changeTicket(
        { scope, policy, now, actor: SYSTEM_ACTOR },
        ticket,
        { status: "closed", closedAt: new Date(now) },
        { kind: "closed", data: { automatically: true } },
      );
    }
  },
};
