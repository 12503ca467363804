/**
 * The SLA clocks of a ticket, pure: how a change moves them, and what they read at an instant in
 * business time of the policy's calendar (time/business-time.ts does the arithmetic).
 */
import { nextOpenInstant, type RunningSpan, slaClock } from "../time/business-time.js";
import { businessMs, type SupportPolicy } from "./support-policy.js";
import type { MissableTarget, Priority, SlaState, SlaTarget, TicketStatus } from "./ticket-types.js";

const run = (now: number): RunningSpan[] => [{ start: now, end: null }];
const stop = (spans: RunningSpan[], now: number) =>
  spans.map((s) => (s.end === null ? { ...s, end: now } : s));
const resume = (spans: RunningSpan[], now: number) =>
  spans.some((s) => s.end === null) ? spans : [...spans, { start: now, end: null }];

export function openedSla(now: number): SlaState {
  return {
    resolution: { cycle: 1, spans: run(now) },
    response: { target: "first_response", cycle: 1, spans: run(now) },
    responseCycles: 1,
  };
}

/** Waiting on the member: every clock stops and keeps what it used. */
export function pausedSla(sla: SlaState, now: number): SlaState {
  return {
    ...sla,
    resolution: { ...sla.resolution, spans: stop(sla.resolution.spans, now) },
    response: sla.response && { ...sla.response, spans: stop(sla.response.spans, now) },
  };
}

/** The desk answered in public: the member is no longer waiting for a response. */
export function answeredSla(sla: SlaState): SlaState {
  return { ...sla, response: null };
}

/**
 * The member wrote (or escalated): the clocks run again and, unless one already runs, a
 * `next_response` target starts now.
 */
export function awaitingAnswerSla(sla: SlaState, now: number, fresh = false): SlaState {
  const resolution = { ...sla.resolution, spans: resume(sla.resolution.spans, now) };
  if (sla.response !== null && !fresh) {
    return { ...sla, resolution, response: { ...sla.response, spans: resume(sla.response.spans, now) } };
  }
  const cycle = sla.responseCycles + 1;
  return {
    ...sla,
    resolution,
    response: { target: "next_response", cycle, spans: run(now) },
    responseCycles: cycle,
  };
}

/** The desk answered and works on: the resolution clock runs, no response is owed. */
export function workingSla(sla: SlaState, now: number): SlaState {
  return {
    ...sla,
    resolution: { ...sla.resolution, spans: resume(sla.resolution.spans, now) },
    response: null,
  };
}

/** The latest instant a target was missed at, recorded or read now; null when none was. */
export function latestMiss(sla: SlaState, clocks: TargetClock[]): number | null {
  const misses = clocks.filter((c) => c.breached && c.dueAt !== null).map((c) => c.dueAt as number);
  if (sla.lastMissAt !== undefined) misses.push(sla.lastMissAt);
  return misses.length === 0 ? null : Math.max(...misses);
}

/** A reopened ticket starts a fresh resolution clock: it never breaches at the instant it reopens. */
export function reopenedSla(sla: SlaState, now: number): SlaState {
  const cycle = sla.responseCycles + 1;
  return {
    ...sla,
    resolution: { cycle: sla.resolution.cycle + 1, spans: run(now) },
    response: { target: "next_response", cycle, spans: run(now) },
    responseCycles: cycle,
  };
}

export function resolvedSla(sla: SlaState, now: number): SlaState {
  return answeredSla(pausedSla(sla, now));
}

export interface TargetClock {
  target: MissableTarget;
  cycle: number;
  /** null while paused. */
  dueAt: number | null;
  warnAt: number | null;
  remainingMs: number;
  breached: boolean;
  running: boolean;
}

const targetKey: Record<SlaTarget, "firstResponse" | "nextResponse" | "resolution"> = {
  first_response: "firstResponse",
  next_response: "nextResponse",
  resolution: "resolution",
};

/** The targets that apply now (none on a resolved or closed ticket), read at `now`. */
export function readClocks(
  ticket: { sla: SlaState; status: TicketStatus; priority: Priority; promisedBy: Date | null },
  policy: SupportPolicy,
  now: number,
): TargetClock[] {
  if (ticket.status === "resolved" || ticket.status === "closed") return [];
  const targets = policy.priorities[ticket.priority];
  const warnMs = businessMs(targets.warnBefore);
  const clocks: TargetClock[] = [];
  const read = (target: SlaTarget, cycle: number, spans: RunningSpan[]) => {
    const clock = slaClock(policy.calendar, businessMs(targets[targetKey[target]]), spans, now, warnMs);
    clocks.push({
      target,
      cycle,
      dueAt: clock.dueAt,
      warnAt: clock.warnAt,
      remainingMs: clock.remainingMs,
      breached: clock.breached,
      running: spans.some((s) => s.end === null),
    });
  };
  if (ticket.sla.response)
    read(ticket.sla.response.target, ticket.sla.response.cycle, ticket.sla.response.spans);
  read("resolution", ticket.sla.resolution.cycle, ticket.sla.resolution.spans);
  if (ticket.promisedBy !== null) {
    const due = ticket.promisedBy.getTime();
    clocks.push({
      target: "promise",
      cycle: due,
      dueAt: due,
      warnAt: null,
      remainingMs: due - now,
      breached: now > due,
      running: true,
    });
  }
  return clocks;
}

/** The soonest due instant of a running target; null when none runs (the queue puts it last). */
export function soonestDue(clocks: TargetClock[]): number | null {
  const due = clocks.map((c) => c.dueAt).filter((d): d is number => d !== null);
  return due.length === 0 ? null : Math.min(...due);
}

/** The mark that makes a warning or breach of one target instance happen once. */
export const slaMark = (phase: "warning" | "breach", clock: Pick<TargetClock, "target" | "cycle">) =>
  `${phase}:${clock.target}:${clock.cycle}`;

/**
 * When people hear of a warning or breach: at once for urgent tickets, else when the desk is next
 * open (no escalation mail at 3 a.m.).
 */
export function notifyAt(policy: SupportPolicy, priority: Priority, now: number): number {
  return priority === "urgent" ? now : nextOpenInstant(policy.calendar, now);
}
