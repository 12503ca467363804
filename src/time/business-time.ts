/**
 * Business-time arithmetic over a BusinessCalendar: when a target of N business hours falls due,
 * how much business time lies between two instants, and an SLA clock that pauses (a ticket waiting
 * on the member). Pure: time is an argument; everything is epoch milliseconds.
 */
import { type BusinessCalendar, localDay, openSpans } from "./business-calendar.js";

/** More than ten years without an open minute: the calendar is never open (calendarProblems refuses it). */
const MAX_DAYS = 4000;

function neverOpen(calendar: BusinessCalendar): never {
  throw new RangeError(`the calendar in ${calendar.timeZone} is never open`);
}

/**
 * The instant `durationMs` of business time after `start`: where a target started at `start` falls
 * due. Time before the desk opens does not count; a zero duration is due at `start`.
 */
export function addBusinessTime(calendar: BusinessCalendar, start: number, durationMs: number): number {
  if (!(durationMs >= 0)) throw new RangeError(`a business duration must be ≥ 0, got ${durationMs}`);
  if (durationMs === 0) return start;
  let remaining = durationMs;
  const first = localDay(calendar, start);
  for (let day = first; day < first + MAX_DAYS; day++) {
    for (const [open, close] of openSpans(calendar, day)) {
      if (close <= start) continue;
      const from = Math.max(open, start);
      if (remaining <= close - from) return from + remaining;
      remaining -= close - from;
    }
  }
  return neverOpen(calendar);
}

/** The business time in `[from, to)`, in ms (0 when `to` is not after `from`). */
export function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  let total = 0;
  const last = localDay(calendar, to);
  for (let day = localDay(calendar, from); day <= last; day++) {
    for (const [open, close] of openSpans(calendar, day)) {
      const overlap = Math.min(close, to) - Math.max(open, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** The first instant at or after `at` when the desk is open (a notification waits for it). */
export function nextOpenInstant(calendar: BusinessCalendar, at: number): number {
  const first = localDay(calendar, at);
  for (let day = first; day < first + MAX_DAYS; day++) {
    for (const [open, close] of openSpans(calendar, day)) {
      if (close > at) return Math.max(open, at);
    }
  }
  return neverOpen(calendar);
}

/** One stretch the clock ran: from `start` to `end` (null: still running). */
export interface RunningSpan {
  start: number;
  end: number | null;
}

export interface SlaClock {
  /** Business time the target has used, at `now`. */
  usedMs: number;
  /** Business time left (negative: overdue by that much). */
  remainingMs: number;
  /** When it falls due; null while the clock is paused (waiting on the member). */
  dueAt: number | null;
  /** When to warn (`warnBeforeMs` of business time before due); null while paused or without one. */
  warnAt: number | null;
  breached: boolean;
}

/**
 * A target of `targetMs` business time on a clock that ran in `spans` (in order; the last may be
 * still running), read at `now`. A paused clock keeps what it used and has no due time.
 */
export function slaClock(
  calendar: BusinessCalendar,
  targetMs: number,
  spans: readonly RunningSpan[],
  now: number,
  warnBeforeMs = 0,
): SlaClock {
  let usedBefore = 0;
  let running: number | null = null;
  for (const span of spans) {
    if (span.end === null) running = span.start;
    else usedBefore += businessTimeBetween(calendar, span.start, Math.min(span.end, now));
  }
  const usedMs = usedBefore + (running === null ? 0 : businessTimeBetween(calendar, running, now));
  if (running === null) {
    return { usedMs, remainingMs: targetMs - usedMs, dueAt: null, warnAt: null, breached: usedMs > targetMs };
  }
  const left = Math.max(0, targetMs - usedBefore);
  const dueAt = addBusinessTime(calendar, running, left);
  const warnAt =
    warnBeforeMs > 0 ? addBusinessTime(calendar, running, Math.max(0, left - warnBeforeMs)) : null;
  return { usedMs, remainingMs: targetMs - usedMs, dueAt, warnAt, breached: now > dueAt };
}
