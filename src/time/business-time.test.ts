import { execFileSync } from "node:child_process";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type BusinessCalendar, CN_CALENDAR_LAST_YEAR, calendarProblems } from "./business-calendar.js";
import { addBusinessTime, businessTimeBetween, nextOpenInstant, slaClock } from "./business-time.js";

const HOUR = 3_600_000;
const OFFICE = [{ from: "09:00", to: "18:00" }];
/** Monday to Friday, 09:00–18:00 in Shanghai, China's holidays and make-up days. */
const SHANGHAI: BusinessCalendar = {
  timeZone: "Asia/Shanghai",
  week: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE },
  publicHolidays: "cn",
};
const at = (iso: string, zone = "Asia/Shanghai") => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone = "Asia/Shanghai") =>
  DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm");

describe("business time on a Shanghai office calendar", () => {
  it("skips the night and the weekend", () => {
    // Friday 16:00 + 4 h: 2 h on Friday, 2 h on Monday.
    expect(local(addBusinessTime(SHANGHAI, at("2026-12-04T16:00"), 4 * HOUR))).toBe("2026-12-07 11:00");
    // Opened at night: the clock starts when the desk opens.
    expect(local(addBusinessTime(SHANGHAI, at("2026-12-08T03:00"), HOUR))).toBe("2026-12-08 10:00");
    expect(businessTimeBetween(SHANGHAI, at("2026-12-04T16:00"), at("2026-12-07T11:00"))).toBe(4 * HOUR);
  });

  it("skips a public holiday: National Day 2026 closes 1–7 October", () => {
    expect(local(addBusinessTime(SHANGHAI, at("2026-09-30T17:00"), 2 * HOUR))).toBe("2026-10-08 10:00");
    expect(businessTimeBetween(SHANGHAI, at("2026-10-01T00:00"), at("2026-10-08T00:00"))).toBe(0);
  });

  it("opens on a make-up working day: Saturday 10 October 2026 is worked (调休)", () => {
    expect(local(addBusinessTime(SHANGHAI, at("2026-10-09T17:00"), 4 * HOUR))).toBe("2026-10-10 12:00");
    // And a normal Saturday stays closed.
    expect(businessTimeBetween(SHANGHAI, at("2026-10-17T00:00"), at("2026-10-18T00:00"))).toBe(0);
    expect(businessTimeBetween(SHANGHAI, at("2026-10-10T00:00"), at("2026-10-11T00:00"))).toBe(9 * HOUR);
  });

  it("keeps a 48-business-hour target to its working days across the Spring Festival", () => {
    // 2026: 15–23 February closed, Saturday 14 February and 28 February worked.
    const due = addBusinessTime(SHANGHAI, at("2026-02-13T09:00"), 48 * HOUR);
    const hours = businessTimeBetween(SHANGHAI, at("2026-02-13T09:00"), due) / HOUR;
    expect(hours).toBe(48);
    // Friday 13 and Saturday 14 (make-up): 18 h; closed 15–23; Tuesday 24 to Thursday 26: 27 h;
    // then 3 h of Friday 27. Counted in calendar hours it would have been due on Sunday 15.
    expect(local(due)).toBe("2026-02-27 12:00");
  });

  it("takes the operator's dates over the package's, and covers years the package lacks", () => {
    const year = CN_CALENDAR_LAST_YEAR + 1;
    const calendar: BusinessCalendar = {
      ...SHANGHAI,
      closedDates: [`${year}-01-01`],
      openDates: [`${year}-01-02`],
      makeUpHours: [{ from: "10:00", to: "16:00" }],
    };
    const newYear = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: "Asia/Shanghai" }).toMillis();
    expect(businessTimeBetween(calendar, newYear, newYear + 24 * HOUR)).toBe(0);
    expect(businessTimeBetween(calendar, newYear + 24 * HOUR, newYear + 48 * HOUR)).toBe(6 * HOUR);
  });

  it("counts several intervals a day and a night shift across midnight", () => {
    const split: BusinessCalendar = {
      timeZone: "Asia/Shanghai",
      week: {
        tue: [
          { from: "13:00", to: "18:00" },
          { from: "09:00", to: "12:00" },
        ],
      },
      publicHolidays: "none",
    };
    expect(local(addBusinessTime(split, at("2026-12-01T11:00"), 4 * HOUR))).toBe("2026-12-01 16:00");
    const night: BusinessCalendar = {
      timeZone: "Asia/Shanghai",
      week: { mon: [{ from: "22:00", to: "24:00" }], tue: [{ from: "00:00", to: "06:00" }] },
      publicHolidays: "none",
    };
    expect(local(addBusinessTime(night, at("2026-11-30T23:00"), 3 * HOUR))).toBe("2026-12-01 02:00");
    expect(businessTimeBetween(night, at("2026-11-30T00:00"), at("2026-12-02T00:00"))).toBe(8 * HOUR);
  });

  it("waits for the next opening (a notification at 3 a.m. goes out at 09:00)", () => {
    expect(local(nextOpenInstant(SHANGHAI, at("2026-12-08T03:00")))).toBe("2026-12-08 09:00");
    expect(local(nextOpenInstant(SHANGHAI, at("2026-12-08T10:30")))).toBe("2026-12-08 10:30");
    expect(local(nextOpenInstant(SHANGHAI, at("2026-12-04T18:00")))).toBe("2026-12-07 09:00");
  });

  it("refuses a negative duration and a calendar that is never open", () => {
    expect(() => addBusinessTime(SHANGHAI, 0, -1)).toThrow(RangeError);
    const closed: BusinessCalendar = { timeZone: "UTC", week: {}, publicHolidays: "none" };
    expect(() => addBusinessTime(closed, 0, HOUR)).toThrow("never open");
  });
});

describe("business time across daylight-saving changes (New York)", () => {
  const NY = "America/New_York";
  const every = (intervals: { from: string; to: string }[]): BusinessCalendar => ({
    timeZone: NY,
    week: { sun: intervals, mon: intervals },
    publicHolidays: "none",
  });

  it("a day's hours are the real time between opening and closing", () => {
    const nights = every([{ from: "01:00", to: "03:00" }]);
    // 8 March 2026 (Sunday): 02:00 does not exist, the night has one hour.
    expect(businessTimeBetween(nights, at("2026-03-08T00:00", NY), at("2026-03-09T00:00", NY))).toBe(HOUR);
    // 1 November 2026 (Sunday): 01:00–02:00 happens twice, the night has three hours.
    expect(businessTimeBetween(nights, at("2026-11-01T00:00", NY), at("2026-11-02T00:00", NY))).toBe(
      3 * HOUR,
    );
    // Closing at 01:30 that night means the second 01:30: open from midnight for 2½ hours.
    const early = every([{ from: "00:00", to: "01:30" }]);
    expect(businessTimeBetween(early, at("2026-11-01T00:00", NY), at("2026-11-02T00:00", NY))).toBe(
      2.5 * HOUR,
    );
    expect(businessTimeBetween(early, at("2026-03-08T00:00", NY), at("2026-03-09T00:00", NY))).toBe(
      1.5 * HOUR,
    );
    // Opening at 02:30 on the night 02:00–03:00 is skipped: open from the jump, 03:00 EDT.
    const skipped = every([{ from: "02:30", to: "04:00" }]);
    expect(businessTimeBetween(skipped, at("2026-03-08T00:00", NY), at("2026-03-09T00:00", NY))).toBe(HOUR);
    const office = every(OFFICE);
    expect(businessTimeBetween(office, at("2026-03-08T00:00", NY), at("2026-03-09T00:00", NY))).toBe(
      9 * HOUR,
    );
    expect(local(addBusinessTime(office, at("2026-03-08T17:00", NY), 2 * HOUR), NY)).toBe("2026-03-09 10:00");
  });
});

describe("an SLA clock that pauses", () => {
  it("keeps what it used while waiting on the member and resumes from there", () => {
    const opened = at("2026-12-07T09:00");
    const paused = at("2026-12-07T11:00");
    const resumed = at("2026-12-10T15:00");
    const waiting = slaClock(SHANGHAI, 8 * HOUR, [{ start: opened, end: paused }], at("2026-12-09T12:00"));
    expect(waiting).toEqual({
      usedMs: 2 * HOUR,
      remainingMs: 6 * HOUR,
      dueAt: null,
      warnAt: null,
      breached: false,
    });
    const spans = [
      { start: opened, end: paused },
      { start: resumed, end: null },
    ];
    const running = slaClock(SHANGHAI, 8 * HOUR, spans, at("2026-12-10T16:00"), HOUR);
    // 6 h left from Thursday 15:00: 3 h on Thursday, 3 h on Friday.
    expect(local(running.dueAt!)).toBe("2026-12-11 12:00");
    expect(local(running.warnAt!)).toBe("2026-12-11 11:00");
    expect(running).toMatchObject({ usedMs: 3 * HOUR, remainingMs: 5 * HOUR, breached: false });
    const late = slaClock(SHANGHAI, 8 * HOUR, spans, at("2026-12-11T12:01"));
    expect(late.breached).toBe(true);
    expect(late.remainingMs).toBe(-60_000);
  });
});

describe("calendar validation", () => {
  it("lists every problem at once", () => {
    const problems = calendarProblems({
      timeZone: "Mars/Olympus",
      week: {
        mon: [{ from: "09:00", to: "08:00" }],
        tue: [{ from: "9am", to: "25:00" }],
        wed: [
          { from: "09:00", to: "12:00" },
          { from: "11:00", to: "13:00" },
        ],
      },
      publicHolidays: "cn",
      closedDates: ["2026-02-30", "2026-10-01"],
      openDates: ["2026-10-01"],
    });
    expect(problems.map((p) => p.path)).toEqual([
      "/timeZone",
      "/week/mon/0",
      "/week/tue/0/from",
      "/week/tue/0/to",
      "/week/wed/1",
      "/closedDates/0",
      "/openDates",
    ]);
    expect(calendarProblems(SHANGHAI)).toEqual([]);
  });
});

describe("independent of the process's time zone", () => {
  it("gives the same answers with TZ=America/New_York (chinese-days' own functions do not)", () => {
    const script = `
      import { addBusinessTime } from "./src/time/business-time.ts";
      const office = [{ from: "09:00", to: "18:00" }];
      const cal = { timeZone: "Asia/Shanghai", week: { mon: office, tue: office, wed: office, thu: office, fri: office }, publicHolidays: "cn" };
      console.log(addBusinessTime(cal, Date.parse("2026-10-09T09:00:00Z"), 4 * 3600000));`;
    const run = (tz: string) =>
      execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        env: { ...process.env, TZ: tz },
        encoding: "utf8",
      }).trim();
    const expected = String(at("2026-10-10T12:00"));
    expect(run("America/New_York")).toBe(expected);
    expect(run("Asia/Tokyo")).toBe(expected);
  });
});
