/** Calendar arithmetic on epoch milliseconds in an IANA time zone; pure, no clock. */
import { DateTime, Duration, IANAZone } from "luxon";

/** Members without a stored time zone are treated as being in mainland China. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

// Stricter than luxon's parser, which also accepts "P", "PT", "-P1M", "P-1M" and fractions: we allow only
// non-negative integer components of at most 5 digits, which keeps every result inside the Date range.
const ISO_DURATION =
  /^P(?:\d{1,5}Y)?(?:\d{1,5}M)?(?:\d{1,5}W)?(?:\d{1,5}D)?(?:T(?:\d{1,5}H)?(?:\d{1,5}M)?(?:\d{1,5}S)?)?$/;

/** True for an ISO-8601 duration such as P1M, P1Y, P1D, PT24H (integer, non-negative components). */
export function isValidIsoDuration(s: unknown): s is string {
  return typeof s === "string" && ISO_DURATION.test(s) && s !== "P" && !s.endsWith("T");
}

/** Zones already checked, as luxon zone objects: building one costs an Intl.DateTimeFormat. */
const zones = new Map<string, IANAZone>();

function zoneOf(tz: string): IANAZone | null {
  let zone = zones.get(tz);
  if (zone === undefined) {
    if (tz.length === 0 || tz.length > 64 || !IANAZone.isValidZone(tz)) return null;
    zone = IANAZone.create(tz);
    // Zone names are a small closed set in practice; the bound only guards against abuse.
    if (zones.size < 1000) zones.set(tz, zone);
  }
  return zone;
}

/** True for an IANA zone name luxon can use (e.g. "Asia/Shanghai", "UTC"). */
export function isValidTimeZone(tz: unknown): tz is string {
  return typeof tz === "string" && zoneOf(tz) !== null;
}

function inZone(epochMs: number, timeZone: string): DateTime {
  if (!Number.isFinite(epochMs)) throw new RangeError(`invalid epoch milliseconds: ${epochMs}`);
  const zone = zoneOf(timeZone);
  if (!zone) throw new RangeError(`invalid time zone: ${JSON.stringify(timeZone)}`);
  return DateTime.fromMillis(epochMs, { zone });
}

function toMillis(dt: DateTime): number {
  const ms = dt.toMillis();
  if (!Number.isFinite(ms)) throw new RangeError("date out of range");
  return ms;
}

/**
 * Adds an ISO-8601 duration with calendar semantics in `timeZone`: months clamp to the end of the
 * month (Jan 31 + P1M = Feb 28/29) and days keep the wall-clock time across DST changes.
 */
export function addIsoDuration(epochMs: number, iso: string, timeZone: string): number {
  if (!isValidIsoDuration(iso)) throw new RangeError(`invalid ISO-8601 duration: ${JSON.stringify(iso)}`);
  return toMillis(inZone(epochMs, timeZone).plus(Duration.fromISO(iso)));
}

/** 00:00 of the calendar day after `epochMs`, as seen in `timeZone`. */
export function startOfNextDay(epochMs: number, timeZone: string): number {
  return toMillis(inZone(epochMs, timeZone).plus({ days: 1 }).startOf("day"));
}

/** Rough length of a duration (month = 30 days, year = 365 days), for ordering and sanity limits only. */
export function durationToMillisApprox(iso: string): number {
  if (!isValidIsoDuration(iso)) throw new RangeError(`invalid ISO-8601 duration: ${JSON.stringify(iso)}`);
  return Duration.fromISO(iso).as("milliseconds");
}
