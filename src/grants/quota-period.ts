/** Usage periods of a quota, in the member's time zone. Pure: time is an argument. */
import { DateTime, Duration, type DurationLikeObject, IANAZone } from "luxon";
import { durationToMillisApprox, isValidIsoDuration } from "../time/durations.js";

export interface QuotaPeriod {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive: when the usage resets. */
  end: number;
}

/** One calendar unit: such periods follow the member's calendar, not the grant's start. */
const CALENDAR_UNITS = { P1D: "day", P1W: "week", P1M: "month", P1Y: "year" } as const;

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

/**
 * The usage period of `period` that contains `at`. `P1D`, `P1W`, `P1M` and `P1Y` are calendar periods:
 * the local day, ISO week (from Monday), month or year, resetting at 00:00 of the next one in
 * `timeZone` — what a member means by "10 downloads a day". Any other duration (`P7D`, `PT12H`,
 * `P3M`) is a rolling period anchored at `anchor` (the grant's effectiveFrom) and stepping by the
 * duration with calendar semantics in `timeZone` (the n-th period starts at anchor + n × duration,
 * so month ends do not drift).
 */
export function quotaPeriodAt(period: string, at: number, timeZone: string, anchor: number): QuotaPeriod {
  const local = zoned(at, timeZone);
  const unit = CALENDAR_UNITS[period as keyof typeof CALENDAR_UNITS];
  if (unit !== undefined) {
    const start = local.startOf(unit);
    // plus() then startOf(): 00:00 of the next unit even when DST makes the day 23 or 25 hours long.
    const end = start.plus({ [`${unit}s`]: 1 }).startOf(unit);
    return { start: millis(start), end: millis(end) };
  }
  if (!isValidIsoDuration(period))
    throw new RangeError(`invalid ISO-8601 duration: ${JSON.stringify(period)}`);
  const approx = durationToMillisApprox(period);
  if (!(approx > 0)) throw new RangeError(`a quota period must be longer than zero: ${period}`);
  const duration = Duration.fromISO(period).toObject();
  const origin = zoned(anchor, timeZone);
  const nth = (n: number) => {
    const scaled: DurationLikeObject = {};
    for (const [key, value] of Object.entries(duration)) {
      scaled[key as keyof DurationLikeObject] = (value as number) * n;
    }
    return millis(origin.plus(scaled));
  };
  // Estimate with the rough length, then step to the exact period: months and DST make it inexact.
  let n = Math.floor((at - anchor) / approx);
  while (nth(n) > at) n--;
  while (nth(n + 1) <= at) n++;
  return { start: nth(n), end: nth(n + 1) };
}
