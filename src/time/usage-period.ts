/**
 * Recurring periods of quotas and coupon packs, in the member's time zone, with their anchor.
 * Pure: time is an argument.
 */
import { DateTime, Duration, type DurationLikeObject, IANAZone } from "luxon";
import { durationToMillisApprox, isValidIsoDuration } from "./durations.js";

/** `calendar`: local midnight, Monday, the 1st, 1 January. `membership`: the membership's anniversaries. */
export const PERIOD_ANCHORS = ["calendar", "membership"] as const;
export type PeriodAnchor = (typeof PERIOD_ANCHORS)[number];

export interface UsagePeriod {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive: when the usage resets (or the next coupons are issued). */
  end: number;
}

/** One calendar unit: such calendar periods need no stepping at all. */
const CALENDAR_UNITS = { P1D: "day", P1W: "week", P1M: "month", P1Y: "year" } as const;
/** Where calendar periods of other lengths step from: local 00:00 of a Monday that is also 1 January. */
const CALENDAR_ORIGIN = { year: 2024, month: 1, day: 1 } as const;
const ONE_MONTH_MS = durationToMillisApprox("P1M");

/**
 * The anchor of a period the catalog names none for (DESIGN, "Time: periods and their anchors"):
 * `calendar` below a month ("10 downloads a day" resets at midnight), `membership` for a month and
 * longer, so a member who buys on the 29th gets a whole month, not the two days left of the calendar's.
 */
export function defaultAnchor(period: string): PeriodAnchor {
  return durationToMillisApprox(period) >= ONE_MONTH_MS ? "membership" : "calendar";
}

function zoned(epochMs: number, timeZone: string): DateTime {
  if (!Number.isFinite(epochMs)) throw new RangeError(`invalid epoch milliseconds: ${epochMs}`);
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`invalid time zone: ${JSON.stringify(timeZone)}`);
  return DateTime.fromMillis(epochMs, { zone: timeZone });
}

function millis(dt: DateTime): number {
  const ms = dt.toMillis();
  if (!Number.isFinite(ms)) throw new RangeError("date out of range");
  return ms;
}

/** The duration's parts and its rough length; throws on what is not a period. */
function parse(period: string): { duration: DurationLikeObject; approxMs: number } {
  if (!isValidIsoDuration(period))
    throw new RangeError(`invalid ISO-8601 duration: ${JSON.stringify(period)}`);
  const approxMs = durationToMillisApprox(period);
  if (!(approxMs > 0)) throw new RangeError(`a period must be longer than zero: ${period}`);
  return { duration: Duration.fromISO(period).toObject(), approxMs };
}

/** The period of `duration` containing `at`, in steps of it from `origin` (n × duration, no drift). */
function stepped(duration: DurationLikeObject, approxMs: number, origin: DateTime, at: number): UsagePeriod {
  const nth = (n: number) => {
    const scaled: DurationLikeObject = {};
    for (const [key, value] of Object.entries(duration)) {
      scaled[key as keyof DurationLikeObject] = (value as number) * n;
    }
    return millis(origin.plus(scaled));
  };
  // Estimate with the rough length, then step to the exact period: months and DST make it inexact.
  let n = Math.floor((at - origin.toMillis()) / approxMs);
  while (nth(n) > at) n--;
  while (nth(n + 1) <= at) n++;
  return { start: nth(n), end: nth(n + 1) };
}

/** A duration of hours, minutes and seconds only, in ms; null when it has a calendar part. */
function clockLength(duration: DurationLikeObject): number | null {
  const calendar =
    (duration.years ?? 0) + (duration.months ?? 0) + (duration.weeks ?? 0) + (duration.days ?? 0);
  return calendar > 0 ? null : Duration.fromObject(duration).as("milliseconds");
}

/**
 * The period of `period` (an ISO-8601 duration) that contains `at`.
 *
 * - `calendar`: P1D, P1W, P1M and P1Y are the member's local day, ISO week (from Monday), month and
 *   year, resetting at 00:00 of the next one even when DST makes a day 23 or 25 hours long. A length
 *   of hours and minutes only (PT6H) divides each local day from midnight (the day's last period may
 *   be shorter). Any other length steps from local 00:00 on Monday 1 January 2024: P3M is the
 *   calendar quarter, P2W every other Monday.
 * - `membership`: steps from `membershipStart` by the duration with calendar semantics: the n-th
 *   period starts at start + n × duration, so month ends clamp without drifting (bought 31 January →
 *   28/29 February → 31 March) and days keep the local wall-clock time across DST changes.
 */
export function periodAt(
  period: string,
  anchor: PeriodAnchor,
  at: number,
  timeZone: string,
  membershipStart: number,
): UsagePeriod {
  const { duration, approxMs } = parse(period);
  const local = zoned(at, timeZone);
  if (anchor === "membership") return stepped(duration, approxMs, zoned(membershipStart, timeZone), at);
  const unit = CALENDAR_UNITS[period as keyof typeof CALENDAR_UNITS];
  if (unit !== undefined) {
    const start = local.startOf(unit);
    // plus() then startOf(): 00:00 of the next unit even when DST makes the day 23 or 25 hours long.
    const end = start.plus({ [`${unit}s`]: 1 }).startOf(unit);
    return { start: millis(start), end: millis(end) };
  }
  const clock = clockLength(duration);
  if (clock !== null) {
    const dayStart = millis(local.startOf("day"));
    const dayEnd = millis(local.startOf("day").plus({ days: 1 }).startOf("day"));
    const start = dayStart + Math.floor((at - dayStart) / clock) * clock;
    return { start, end: Math.min(start + clock, dayEnd) };
  }
  return stepped(duration, approxMs, DateTime.fromObject(CALENDAR_ORIGIN, { zone: timeZone }), at);
}

/**
 * The period after one that ended at `previousEnd`. It starts exactly there, so a member whose time
 * zone changed in between gets neither an overlap (coupons issued twice) nor a gap: the first period
 * in the new zone runs from the old end to the new zone's next boundary.
 */
export function periodAfter(
  period: string,
  anchor: PeriodAnchor,
  previousEnd: number,
  timeZone: string,
  membershipStart: number,
): UsagePeriod {
  const next = periodAt(period, anchor, previousEnd, timeZone, membershipStart);
  return { start: previousEnd, end: next.end };
}
