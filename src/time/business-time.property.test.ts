/**
 * The business-time arithmetic against a minute-by-minute walker over random calendars: weekly
 * hours (several intervals a day), China's holidays and make-up days, the operator's dates, zones
 * with daylight saving (New York, Berlin, São Paulo's past, Lord Howe's half hour), and intervals
 * up to a year. The walker shares no code with the arithmetic: it asks Luxon for each minute's wall
 * time and finds each opening's instants by trying the readings around it.
 */
import chineseDays from "chinese-days/dist/chinese-days.json" with { type: "json" };
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type BusinessCalendar, type OpeningInterval, WEEKDAYS } from "./business-calendar.js";
import { addBusinessTime, businessTimeBetween } from "./business-time.js";

const MINUTE = 60_000;
const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "UTC", "Australia/Lord_Howe"];
const FROM = Date.parse("2025-01-01T00:00:00Z");
const TO = Date.parse("2026-12-31T00:00:00Z");

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** 0–3 non-overlapping intervals of a day, on whole minutes (sometimes whole days, sometimes 24:00). */
const dayHours = fc
  .uniqueArray(
    // Often the hours daylight saving moves (01:00–03:00), so openings meet the changes.
    fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.constantFrom(0, 60, 90, 120, 150, 180, 1440)),
    { minLength: 0, maxLength: 6 },
  )
  .map((points): OpeningInterval[] => {
    const sorted = [...points].sort((a, b) => a - b);
    const intervals: OpeningInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      intervals.push({ from: hhmm(sorted[i]), to: hhmm(sorted[i + 1]) });
    return intervals;
  });

/** A calendar, its operator's dates given as days after the instant the property starts from. */
const calendarParts = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.tuple(...WEEKDAYS.map(() => dayHours)),
    publicHolidays: fc.constantFrom("cn" as const, "none" as const),
    closedDays: fc.uniqueArray(fc.integer({ min: -1, max: 12 }), { maxLength: 4 }),
    openDays: fc.uniqueArray(fc.integer({ min: -1, max: 12 }), { maxLength: 4 }),
    makeUpHours: fc.option(dayHours, { nil: undefined }),
  })
  .filter(({ week }) => week.some((hours) => hours.length > 0));

function calendarFrom(parts: typeof calendarParts extends fc.Arbitrary<infer P> ? P : never, start: number) {
  const day = (offset: number) =>
    DateTime.fromMillis(start, { zone: parts.timeZone }).plus({ days: offset }).toISODate()!;
  const closedDates = parts.closedDays.map(day);
  return {
    timeZone: parts.timeZone,
    week: Object.fromEntries(WEEKDAYS.map((weekday, i) => [weekday, parts.week[i]])),
    publicHolidays: parts.publicHolidays,
    closedDates,
    openDates: parts.openDays.map(day).filter((d) => !closedDates.includes(d)),
    makeUpHours: parts.makeUpHours,
  } satisfies BusinessCalendar;
}

/** Daylight-saving changes of the zones above in 2025–2026, where the walker is most useful. */
const TRANSITIONS = [
  "2025-03-09T07:00Z",
  "2025-11-02T06:00Z",
  "2026-03-08T07:00Z",
  "2026-11-01T06:00Z", // New York
  "2025-03-30T01:00Z",
  "2025-10-26T01:00Z",
  "2026-03-29T01:00Z",
  "2026-10-25T01:00Z", // Berlin
  "2025-04-05T15:00Z",
  "2025-10-04T15:30Z",
  "2026-04-04T15:00Z",
  "2026-10-03T15:30Z", // Lord Howe
].map((iso) => Date.parse(iso));
const starts = fc
  .oneof(
    fc.integer({ min: FROM, max: TO }),
    fc
      .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 1440, max: 3 * 1440 }))
      .map(([t, minutes]) => t + minutes * MINUTE),
  )
  .map((ms) => Math.floor(ms / MINUTE) * MINUTE);

/** The walker's own reading of a calendar. */
class Walker {
  private readonly spansOfDate = new Map<string, [number, number][]>();
  constructor(private readonly calendar: BusinessCalendar) {}

  private hours(date: DateTime): OpeningInterval[] {
    const iso = date.toISODate()!;
    const c = this.calendar;
    const makeUp = c.makeUpHours ?? c.week.mon ?? [];
    if (c.closedDates?.includes(iso)) return [];
    if (c.openDates?.includes(iso)) return makeUp;
    if (c.publicHolidays === "cn" && iso in chineseDays.holidays) return [];
    if (c.publicHolidays === "cn" && iso in chineseDays.workdays) return makeUp;
    return c.week[WEEKDAYS[date.weekday - 1]] ?? [];
  }

  /** Every instant whose wall time is `minutes` after local midnight of `date` (30-min steps cover every DST change). */
  private readings(date: DateTime, minutes: number): number[] {
    const wallDate = minutes === 1440 ? date.plus({ days: 1 }) : date;
    const m = minutes % 1440;
    const guess =
      Date.UTC(wallDate.year, wallDate.month - 1, wallDate.day, Math.floor(m / 60), m % 60) -
      wallDate.set({ hour: 12 }).offset * MINUTE;
    const found: number[] = [];
    for (let step = -8; step <= 8; step++) {
      const t = guess + step * 30 * MINUTE;
      const at = DateTime.fromMillis(t, { zone: this.calendar.timeZone });
      if (at.toISODate() === wallDate.toISODate() && at.hour * 60 + at.minute === m) found.push(t);
    }
    if (found.length > 0) return found;
    // A wall time the clocks skip: the first minute whose wall time is past it.
    for (let t = guess - 3 * 60 * MINUTE; ; t += MINUTE) {
      const at = DateTime.fromMillis(t, { zone: this.calendar.timeZone });
      const day = at.toISODate()!;
      if (day > wallDate.toISODate()! || (day === wallDate.toISODate() && at.hour * 60 + at.minute > m))
        return [t];
    }
  }

  private spans(date: DateTime): [number, number][] {
    const key = date.toISODate()!;
    const cached = this.spansOfDate.get(key);
    if (cached) return cached;
    const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    const spans = this.hours(date).map(({ from, to }): [number, number] => [
      Math.min(...this.readings(date, minutesOf(from))),
      Math.max(...this.readings(date, minutesOf(to))),
    ]);
    this.spansOfDate.set(key, spans);
    return spans;
  }

  /** The spans that may hold a minute, by half hour: every zone here changes date and offset on the half hour. */
  private readonly spansOfHalfHour = new Map<number, [number, number][]>();

  isOpen(minute: number): boolean {
    const halfHour = Math.floor(minute / (30 * MINUTE));
    let spans = this.spansOfHalfHour.get(halfHour);
    if (!spans) {
      const date = DateTime.fromMillis(minute, { zone: this.calendar.timeZone }).startOf("day");
      spans = [...this.spans(date), ...this.spans(date.minus({ days: 1 }))];
      this.spansOfHalfHour.set(halfHour, spans);
    }
    return spans.some(([a, b]) => a <= minute && minute < b);
  }

  /** Steps a minute at a time until `minutes` open minutes have passed. */
  due(start: number, minutes: number): number {
    let left = minutes;
    let t = start;
    while (left > 0) {
      if (this.isOpen(t)) left--;
      t += MINUTE;
    }
    return t;
  }

  openMinutes(from: number, to: number): number {
    let count = 0;
    for (let t = from; t < to; t += MINUTE) if (this.isOpen(t)) count++;
    return count;
  }
}

describe("business time against a minute-by-minute walker", () => {
  it("finds the same due time", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(calendarParts, starts, fc.integer({ min: 0, max: 2 * 1440 }), (parts, start, minutes) => {
        const calendar = calendarFrom(parts, start);
        const walker = new Walker(calendar);
        expect(addBusinessTime(calendar, start, minutes * MINUTE)).toBe(walker.due(start, minutes));
      }),
      { numRuns: 200 },
    );
  });

  it("counts the same business time between two instants", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(calendarParts, starts, fc.integer({ min: 0, max: 10 * 1440 }), (parts, from, length) => {
        const calendar = calendarFrom(parts, from);
        const to = from + length * MINUTE;
        expect(businessTimeBetween(calendar, from, to)).toBe(
          new Walker(calendar).openMinutes(from, to) * MINUTE,
        );
      }),
      { numRuns: 200 },
    );
  });

  it("counts the same business time over a whole year", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(calendarParts, starts, (parts, from) => {
        const calendar = calendarFrom(parts, from);
        const to = from + 365 * 1440 * MINUTE;
        expect(businessTimeBetween(calendar, from, to)).toBe(
          new Walker(calendar).openMinutes(from, to) * MINUTE,
        );
      }),
      { numRuns: 5 },
    );
  });
});
