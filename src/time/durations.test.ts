import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addIsoDuration,
  DEFAULT_TIME_ZONE,
  durationToMillisApprox,
  isValidIsoDuration,
  isValidTimeZone,
  startOfNextDay,
} from "./durations.js";

const SH = "Asia/Shanghai";
/** Epoch ms of a wall-clock time in a zone, written out so tests don't depend on luxon. */
const utc = (iso: string) => Date.parse(iso);

describe("isValidIsoDuration", () => {
  it.each(["P1M", "P1Y", "PT24H", "P1D", "P1W", "P1Y2M3DT4H5M6S", "PT30M", "P0D"])("accepts %s", (s) => {
    expect(isValidIsoDuration(s)).toBe(true);
  });
  it.each([
    "",
    "1M",
    "P",
    "PT",
    "P1DT",
    "-P1M",
    "P-1M",
    "p1m",
    "P1.5M",
    "P1M ",
    " P1M",
    "PT1D",
    "P1H",
    "P123456Y",
    "P1M1Y",
    "immediate",
  ])("rejects %j", (s) => {
    expect(isValidIsoDuration(s)).toBe(false);
  });
  it("rejects non-strings", () => {
    for (const v of [null, undefined, 1, {}, ["P1M"]]) expect(isValidIsoDuration(v)).toBe(false);
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA zones", () => {
    expect(isValidTimeZone(DEFAULT_TIME_ZONE)).toBe(true);
    expect(DEFAULT_TIME_ZONE).toBe("Asia/Shanghai");
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
  });
  it("rejects unknown zones and non-strings", () => {
    for (const v of ["", "Mars/Olympus", "UTC+8", "x".repeat(100), null, 8]) {
      expect(isValidTimeZone(v)).toBe(false);
    }
  });
});

describe("addIsoDuration", () => {
  it("clamps Jan 31 + P1M to the end of February in a leap year", () => {
    const start = utc("2028-01-31T10:00:00+08:00");
    expect(addIsoDuration(start, "P1M", SH)).toBe(utc("2028-02-29T10:00:00+08:00"));
  });
  it("clamps Jan 31 + P1M to Feb 28 in a common year", () => {
    expect(addIsoDuration(utc("2027-01-31T00:00:00+08:00"), "P1M", SH)).toBe(
      utc("2027-02-28T00:00:00+08:00"),
    );
  });
  it("clamps Feb 29 + P1Y to Feb 28", () => {
    expect(addIsoDuration(utc("2028-02-29T12:00:00+08:00"), "P1Y", SH)).toBe(
      utc("2029-02-28T12:00:00+08:00"),
    );
  });
  it("uses the calendar of the given zone, not UTC", () => {
    // 2028-01-31T20:00Z is Feb 1 04:00 in Shanghai: +P1M is Mar 1 there, but Feb 29 in UTC.
    const t = utc("2028-01-31T20:00:00Z");
    expect(addIsoDuration(t, "P1M", SH)).toBe(utc("2028-03-01T04:00:00+08:00"));
    expect(addIsoDuration(t, "P1M", "UTC")).toBe(utc("2028-02-29T20:00:00Z"));
  });
  it("adds exact hours, and calendar days keep the wall clock across DST", () => {
    const t = utc("2026-03-07T12:00:00-05:00"); // the day before US DST starts
    expect(addIsoDuration(t, "PT24H", "America/New_York")).toBe(t + 24 * 3600_000);
    expect(addIsoDuration(t, "P1D", "America/New_York")).toBe(utc("2026-03-08T12:00:00-04:00"));
  });
  it("throws on bad input", () => {
    expect(() => addIsoDuration(0, "1M", SH)).toThrow(RangeError);
    expect(() => addIsoDuration(0, "P1M", "Mars/Olympus")).toThrow(RangeError);
    expect(() => addIsoDuration(Number.NaN, "P1M", SH)).toThrow(RangeError);
  });
  it("never goes backwards (property)", () => {
    const durations = fc.constantFrom("P1D", "P1M", "P1Y", "PT24H", "P1W", "P0D", "P3M");
    const instants = fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2100-01-01T00:00:00Z") });
    fc.assert(
      fc.property(instants, durations, (t, d) => {
        expect(addIsoDuration(t, d, SH)).toBeGreaterThanOrEqual(t);
      }),
    );
  });
});

describe("startOfNextDay", () => {
  it("depends on the zone across a date boundary", () => {
    // 2026-03-10T17:30Z is already 01:30 on March 11 in Shanghai.
    const t = utc("2026-03-10T17:30:00Z");
    expect(startOfNextDay(t, SH)).toBe(utc("2026-03-12T00:00:00+08:00"));
    expect(startOfNextDay(t, "UTC")).toBe(utc("2026-03-11T00:00:00Z"));
  });
  it("moves to the next day even at exactly midnight, and across month and year ends", () => {
    expect(startOfNextDay(utc("2026-05-01T00:00:00+08:00"), SH)).toBe(utc("2026-05-02T00:00:00+08:00"));
    expect(startOfNextDay(utc("2026-12-31T23:59:59+08:00"), SH)).toBe(utc("2027-01-01T00:00:00+08:00"));
    expect(startOfNextDay(utc("2028-02-28T08:00:00+08:00"), SH)).toBe(utc("2028-02-29T00:00:00+08:00"));
  });
  it("throws on a bad zone", () => {
    expect(() => startOfNextDay(0, "Nowhere/Town")).toThrow(RangeError);
  });
});

describe("durationToMillisApprox", () => {
  it("approximates", () => {
    expect(durationToMillisApprox("PT24H")).toBe(86_400_000);
    expect(durationToMillisApprox("P1D")).toBe(86_400_000);
    expect(durationToMillisApprox("P1M")).toBe(30 * 86_400_000);
    expect(durationToMillisApprox("P0D")).toBe(0);
  });
  it("throws on an invalid duration", () => {
    expect(() => durationToMillisApprox("P")).toThrow(RangeError);
  });
});
