/**
 * One ticket change inside a member write: the row, its audit event, the outbox event `ticket.*`
 * (the member's stream and webhooks), the member's timeline entry and the SLA jobs, committed
 * together. Internal notes are not changes the member's stream or timeline may carry.
 */
import type { NewJob } from "../jobs/new-job.js";
import type { MemberWriteScope } from "../members/member-writes.js";
import type { TimelineSource } from "../timeline/timeline-types.js";
import { readClocks, soonestDue, type TargetClock } from "./sla-state.js";
import type { SupportPolicy } from "./support-policy.js";
import type { TicketPatch } from "./ticket-store.js";
import type { Agent, TicketRecord } from "./ticket-types.js";

export const TICKET_SLA_JOB = "ticket.sla";

/** Who changes a ticket: the audit id, the timeline source, and the agent when it is one. */
export interface TicketActor {
  /** `member:<id>`, `service:<key id>`, `agent:A1001`, `system`. */
  id: string;
  source: TimelineSource;
  agent: Agent | null;
}

export const SYSTEM_ACTOR: TicketActor = { id: "system", source: "system", agent: null };

export interface ChangeContext {
  scope: MemberWriteScope;
  policy: SupportPolicy;
  now: number;
  actor: TicketActor;
}

export interface TicketChange {
  /** The event's name after `ticket.`: `opened`, `replied`, `assigned`, `sla_breached` … */
  kind: string;
  /** What the member may read about it (never an internal note). */
  data: Record<string, unknown>;
}

/** The due instant and the jobs that warn and breach each running target, from the ticket's clocks. */
function slaJobs(ticket: TicketRecord, clocks: TargetClock[], now: number): NewJob[] {
  const jobs: NewJob[] = [];
  for (const clock of clocks) {
    if (clock.dueAt === null || !clock.running) continue;
    const base = `${ticket.id}:${clock.target}:${clock.cycle}`;
    // One millisecond after the due instant: a target is missed once its due time has passed.
    const phases: ["warning" | "breach", number | null][] = [
      ["warning", clock.warnAt],
      ["breach", clock.dueAt + 1],
    ];
    for (const [phase, at] of phases) {
      if (at === null || (phase === "warning" && at <= now && clock.breached)) continue;
      jobs.push({
        kind: TICKET_SLA_JOB,
        key: `${TICKET_SLA_JOB}:${base}:${phase}:${at}`,
        memberId: ticket.memberId,
        runAt: new Date(Math.max(at, now)),
        payload: { ticketId: ticket.id, target: clock.target, cycle: clock.cycle, phase },
      });
    }
  }
  return jobs;
}

export function dueOf(
  ticket: Pick<TicketRecord, "sla" | "status" | "priority" | "promisedBy">,
  policy: SupportPolicy,
  now: number,
) {
  const due = soonestDue(readClocks(ticket, policy, now));
  return due === null ? null : new Date(due);
}

/** Writes what the change recorded and schedules the clocks' jobs; the ticket row is written already. */
async function recordChange(ctx: ChangeContext, ticket: TicketRecord, change: TicketChange): Promise<void> {
  const { scope, now, actor, policy } = ctx;
  const at = new Date(now);
  await scope.stores.tickets.appendEvents([
    { ticketId: ticket.id, kind: change.kind, actor: actor.id, at, data: change.data },
  ]);
  const summary = {
    ticketId: ticket.id,
    status: ticket.status,
    priority: ticket.priority,
    level: ticket.level,
    dueAt: ticket.dueAt?.toISOString() ?? null,
    agent: actor.agent?.number ?? null,
  };
  await scope.stores.outbox.append({
    memberId: ticket.memberId,
    type: `ticket.${change.kind}`,
    payload: { memberId: ticket.memberId, ...summary, ...change.data, at: at.toISOString() },
  });
  await scope.record(ticket.memberId, actor.source, {
    kind: `ticket.${change.kind}`,
    data: { ...summary, ...change.data },
  });
  const jobs = slaJobs(ticket, readClocks(ticket, policy, now), now);
  if (jobs.length > 0) await scope.stores.jobs.schedule(jobs);
}

export async function insertTicket(ctx: ChangeContext, ticket: TicketRecord, change: TicketChange) {
  const withDue = { ...ticket, dueAt: dueOf(ticket, ctx.policy, ctx.now) };
  await ctx.scope.stores.tickets.insert(withDue);
  await recordChange(ctx, withDue, change);
  return withDue;
}

/** Applies `patch` (the due time follows the clocks), then records the change. */
export async function changeTicket(
  ctx: ChangeContext,
  before: TicketRecord,
  patch: TicketPatch,
  change: TicketChange,
): Promise<TicketRecord> {
  const next = { ...before, ...patch };
  const dueAt = dueOf(next, ctx.policy, ctx.now);
  const ticket = await ctx.scope.stores.tickets.update(before.id, { ...patch, dueAt }, new Date(ctx.now));
  await recordChange(ctx, ticket, change);
  return ticket;
}
