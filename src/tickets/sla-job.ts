/**
 * The durable scheduler's SLA job: warns before a target and records its breach, once per target
 * instance across every node (a mark in ticket_sla_marks, inserted in the job's own transaction),
 * and escalates one level on a breach (1 → 2 → 3) with a fresh response target for the new level.
 * A job whose target moved (paused, answered, resolved) finds nothing to do.
 */
import type { JobHandler } from "../jobs/scheduler.js";
import { awaitingAnswerSla, notifyAt, readClocks, slaMark } from "./sla-state.js";
import { DEFAULT_SUPPORT_POLICY } from "./support-policy.js";
import { changeTicket, SYSTEM_ACTOR, TICKET_SLA_JOB } from "./ticket-changes.js";

export const MAX_LEVEL = 3;

export const ticketSlaJobHandler: JobHandler = {
  kind: TICKET_SLA_JOB,
  async run(scope, jobs, now) {
    const store = scope.stores.tickets;
    const policy = (await store.policy()) ?? DEFAULT_SUPPORT_POLICY;
    for (const job of jobs) {
      const { ticketId, target, cycle, phase } = job.payload as {
        ticketId: string;
        target: string;
        cycle: number;
        phase: "warning" | "breach";
      };
      const found = await store.get(ticketId);
      if (found === null) continue;
      await scope.stores.members.lock(found.memberId);
      const ticket = (await store.get(ticketId))!;
      const clock = readClocks(ticket, policy, now).find((c) => c.target === target && c.cycle === cycle);
      if (!clock?.running) continue;
      const due =
        phase === "breach" ? clock.breached : clock.warnAt !== null && now >= clock.warnAt && !clock.breached;
      if (!due) continue;
      if (!(await store.mark(ticketId, slaMark(phase, clock), new Date(now)))) continue;
      const ctx = { scope, policy, now, actor: SYSTEM_ACTOR };
      const notify = new Date(notifyAt(policy, ticket.priority, now)).toISOString();
      const missed = { target, dueAt: clock.dueAt === null ? null : new Date(clock.dueAt).toISOString() };
      if (phase === "warning") {
        await changeTicket(ctx, ticket, {}, { kind: "sla_warning", data: { ...missed, notifyAt: notify } });
        continue;
      }
      const breached = await changeTicket(
        ctx,
        ticket,
        { breached: true },
        {
          kind: "sla_breached",
          data: { ...missed, level: ticket.level, notifyAt: notify },
        },
      );
      if (breached.level >= MAX_LEVEL) continue;
      await changeTicket(
        ctx,
        breached,
        { level: breached.level + 1, sla: awaitingAnswerSla(breached.sla, now, true) },
        { kind: "escalated", data: { level: breached.level + 1, by: "system", missed, notifyAt: notify } },
      );
    }
  },
};
