/**
 * A support team's business calendar: a time zone, weekly opening hours, public holidays and the
 * make-up working days of China's calendar (调休, from `chinese-days`), and dates an operator adds.
 * Pure: it turns a local date into the instants the desk is open; business-time.ts counts them.
 */
import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import { DateTime, IANAZone } from "luxon";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local opening hours, `"HH:mm"` from 00:00 to 24:00, `from` before `to`. */
export interface OpeningInterval {
  from: string;
  to: string;
}

export interface BusinessCalendar {
  /** IANA zone the hours and dates are in, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Opening hours per weekday; a day absent or empty is closed. Several intervals a day. */
  week: Partial<Record<Weekday, OpeningInterval[]>>;
  /**
   * `cn`: China's public holidays are closed and its make-up working days (调休, a Saturday or
   * Sunday worked in place of a holiday) open with `makeUpHours`. `none`: the week alone.
   */
  publicHolidays: "cn" | "none";
  /** Extra closed local dates (`YYYY-MM-DD`): the team's own holidays, or years the package lacks. */
  closedDates?: string[];
  /** Extra open local dates, open with `makeUpHours`: make-up days the package does not know yet. */
  openDates?: string[];
  /** Hours of a make-up working day; default: Monday's. */
  makeUpHours?: OpeningInterval[];
}

/** One open stretch, in epoch ms: `[start, end)`. */
export type OpenSpan = readonly [start: number, end: number];

const CN_HOLIDAYS: Record<string, string> = chineseDays.holidays;
const CN_WORKDAYS: Record<string, string> = chineseDays.workdays;

/** The last year whose holidays `chinese-days` lists: later years need `closedDates`/`openDates`. */
export const CN_CALENDAR_LAST_YEAR = Math.max(...Object.keys(CN_HOLIDAYS).map((d) => Number(d.slice(0, 4))));

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$/;
const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** `"HH:mm"` → minutes after local midnight (`24:00` → 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Every problem of a calendar at once, as `{path, message}` (JSON pointers). */
export function calendarProblems(calendar: BusinessCalendar): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!IANAZone.isValidZone(calendar.timeZone)) {
    problems.push({ path: "/timeZone", message: `"${calendar.timeZone}" is not an IANA time zone` });
  }
  const checkIntervals = (intervals: OpeningInterval[], path: string) => {
    const sorted = intervals
      .map((interval, index) => ({ ...interval, index }))
      .filter(({ from, to, index }) => {
        for (const [key, value] of [
          ["from", from],
          ["to", to],
        ] as const) {
          if (!TIME.test(value))
            problems.push({ path: `${path}/${index}/${key}`, message: "must be HH:mm, 00:00 to 24:00" });
        }
        if (TIME.test(from) && TIME.test(to) && minutesOf(from) >= minutesOf(to)) {
          problems.push({
            path: `${path}/${index}`,
            message: `opens (${from}) at or after it closes (${to})`,
          });
          return false;
        }
        return TIME.test(from) && TIME.test(to);
      })
      .sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i].from) < minutesOf(sorted[i - 1].to)) {
        problems.push({
          path: `${path}/${sorted[i].index}`,
          message: `overlaps ${sorted[i - 1].from}–${sorted[i - 1].to}`,
        });
      }
    }
  };
  for (const day of WEEKDAYS) checkIntervals(calendar.week[day] ?? [], `/week/${day}`);
  if (calendar.makeUpHours) checkIntervals(calendar.makeUpHours, "/makeUpHours");
  for (const key of ["closedDates", "openDates"] as const) {
    (calendar[key] ?? []).forEach((date, index) => {
      if (!DATE.test(date) || !DateTime.fromISO(date).isValid) {
        problems.push({ path: `/${key}/${index}`, message: `"${date}" is not a date (YYYY-MM-DD)` });
      }
    });
  }
  const overlap = (calendar.closedDates ?? []).filter((d) => (calendar.openDates ?? []).includes(d));
  for (const date of overlap) problems.push({ path: "/openDates", message: `${date} is also a closed date` });
  const weekly = WEEKDAYS.some((day) => (calendar.week[day] ?? []).length > 0);
  if (!weekly) problems.push({ path: "/week", message: "is never open: give at least one day hours" });
  return problems;
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's algorithm). */
export function civilDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number: `[year, month, day]`. */
export function civilDate(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day];
}

const pad = (n: number) => String(n).padStart(2, "0");
export const isoDate = ([y, m, d]: [number, number, number]) => `${y}-${pad(m)}-${pad(d)}`;

/** Monday = 0 … Sunday = 6 of a day number (1970-01-01 was a Thursday). */
const weekdayIndex = (dayNumber: number) => (((dayNumber + 3) % 7) + 7) % 7;

/** The local hours a calendar keeps on one local date (holidays and make-up days applied). */
export function hoursOn(calendar: BusinessCalendar, dayNumber: number): OpeningInterval[] {
  const date = isoDate(civilDate(dayNumber));
  const makeUp = () => calendar.makeUpHours ?? calendar.week.mon ?? [];
  if (calendar.closedDates?.includes(date)) return [];
  if (calendar.openDates?.includes(date)) return makeUp();
  if (calendar.publicHolidays === "cn") {
    if (date in CN_HOLIDAYS) return [];
    if (date in CN_WORKDAYS) return makeUp();
  }
  return calendar.week[WEEKDAYS[weekdayIndex(dayNumber)]] ?? [];
}

const offsetAt = (epochMs: number, zone: string) => DateTime.fromMillis(epochMs, { zone }).offset * 60_000;

/**
 * The instant a local date and time names. A wall time a DST change repeats names two instants: an
 * opening takes the first, a closing the last, so the desk is open the whole real time between. A
 * wall time a DST change skips names the instant the clocks jump past it.
 */
function instant(
  calendar: BusinessCalendar,
  dayNumber: number,
  minutes: number,
  edge: "open" | "close",
): number {
  const [year, month, day] = civilDate(dayNumber + Math.floor(minutes / 1440));
  const m = minutes % 1440;
  const wall = Date.UTC(year, month - 1, day, Math.floor(m / 60), m % 60);
  const zone = calendar.timeZone;
  // The offsets in force a day either side; an instant is a reading of the wall time if its own
  // offset brings it back to that wall time.
  const readings = [offsetAt(wall - 86_400_000, zone), offsetAt(wall + 86_400_000, zone)]
    .map((offset) => wall - offset)
    .filter((candidate) => candidate + offsetAt(candidate, zone) === wall);
  if (readings.length > 0) return edge === "open" ? Math.min(...readings) : Math.max(...readings);
  return clocksJump(wall - offsetAt(wall + 86_400_000, zone), wall - offsetAt(wall - 86_400_000, zone), zone);
}

/** The instant in `(before, after]` at which the offset changes (transitions fall on whole minutes). */
function clocksJump(before: number, after: number, zone: string): number {
  const offset = offsetAt(before, zone);
  let low = before;
  let high = after;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (offsetAt(middle, zone) === offset) low = middle;
    else high = middle;
  }
  return high;
}

/** Per calendar object: local day number → its open spans (computed once; calendars are values). */
const spanCache = new WeakMap<BusinessCalendar, Map<number, OpenSpan[]>>();

/** The open spans of one local date, in order, merged where one interval ends as the next opens. */
export function openSpans(calendar: BusinessCalendar, dayNumber: number): OpenSpan[] {
  let days = spanCache.get(calendar);
  if (!days) {
    days = new Map();
    spanCache.set(calendar, days);
  }
  const cached = days.get(dayNumber);
  if (cached) return cached;
  const spans: [number, number][] = [];
  const intervals = [...hoursOn(calendar, dayNumber)].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (const { from, to } of intervals) {
    const start = instant(calendar, dayNumber, minutesOf(from), "open");
    const end = instant(calendar, dayNumber, minutesOf(to), "close");
    if (end <= start) continue;
    const last = spans[spans.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  // Bounded: a long-running server meets a few thousand days per calendar.
  if (days.size > 20_000) days.clear();
  days.set(dayNumber, spans);
  return spans;
}

const DAY_MS = 86_400_000;
/** Zone offsets change only at instants on a quarter hour (every transition since 1972 is). */
const OFFSET_BUCKET_MS = 900_000;
const MAX_CACHED_OFFSETS = 100_000;
/** Zone → quarter-hour bucket → the zone's UTC offset in minutes then: luxon's lookup is the cost. */
const offsets = new Map<string, Map<number, number>>();

function offsetMinutes(timeZone: string, epochMs: number): number {
  let zone = offsets.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const bucket = Math.floor(epochMs / OFFSET_BUCKET_MS);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_OFFSETS) zone.clear();
    offset = IANAZone.create(timeZone).offset(bucket * OFFSET_BUCKET_MS);
    zone.set(bucket, offset);
  }
  return offset;
}

/** The local day number (days since 1970-01-01, as `civilDay`) of an instant in the calendar's zone. */
export function localDay(calendar: BusinessCalendar, epochMs: number): number {
  return Math.floor((epochMs + offsetMinutes(calendar.timeZone, epochMs) * 60_000) / DAY_MS);
}
