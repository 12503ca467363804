import { describe, expect, it } from "vitest";
import { quotaPeriodAt } from "./quota-period.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (p: { start: number; end: number }) => ({
  start: new Date(p.start).toISOString(),
  end: new Date(p.end).toISOString(),
});
const ANCHOR = ms("2026-01-31T02:00:00Z");

describe("quota periods", () => {
  it("P1D is the member's local day, resetting at local midnight", () => {
    // 23:30 UTC is 07:30 next morning in Shanghai: that day, not the UTC one.
    expect(iso(quotaPeriodAt("P1D", ms("2026-11-24T23:30:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-11-24T16:00:00.000Z",
      end: "2026-11-25T16:00:00.000Z",
    });
    // The last instant of a day belongs to it; its end belongs to the next.
    const end = ms("2026-11-25T16:00:00Z");
    expect(quotaPeriodAt("P1D", end - 1, "Asia/Shanghai", ANCHOR).end).toBe(end);
    expect(quotaPeriodAt("P1D", end, "Asia/Shanghai", ANCHOR).start).toBe(end);
  });

  it("P1D is 23 or 25 hours long on DST days in New York and London", () => {
    const spring = quotaPeriodAt("P1D", ms("2026-03-08T15:00:00Z"), "America/New_York", ANCHOR);
    expect(iso(spring)).toEqual({ start: "2026-03-08T05:00:00.000Z", end: "2026-03-09T04:00:00.000Z" });
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = quotaPeriodAt("P1D", ms("2026-10-25T12:00:00Z"), "Europe/London", ANCHOR);
    expect(iso(autumn)).toEqual({ start: "2026-10-24T23:00:00.000Z", end: "2026-10-26T00:00:00.000Z" });
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });

  it("P1M is the local calendar month, whatever its length", () => {
    expect(iso(quotaPeriodAt("P1M", ms("2026-02-10T00:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-01-31T16:00:00.000Z",
      end: "2026-02-28T16:00:00.000Z",
    });
    // 2028 is a leap year; the last day of February belongs to February.
    expect(iso(quotaPeriodAt("P1M", ms("2028-02-29T15:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2028-01-31T16:00:00.000Z",
      end: "2028-02-29T16:00:00.000Z",
    });
    // New York's March starts in winter time and ends in summer time.
    expect(iso(quotaPeriodAt("P1M", ms("2026-03-20T00:00:00Z"), "America/New_York", ANCHOR))).toEqual({
      start: "2026-03-01T05:00:00.000Z",
      end: "2026-04-01T04:00:00.000Z",
    });
  });

  it("P1W starts on Monday and P1Y on 1 January, local time", () => {
    // 2026-11-26 is a Thursday.
    expect(iso(quotaPeriodAt("P1W", ms("2026-11-26T12:00:00Z"), "Europe/London", ANCHOR))).toEqual({
      start: "2026-11-23T00:00:00.000Z",
      end: "2026-11-30T00:00:00.000Z",
    });
    expect(iso(quotaPeriodAt("P1Y", ms("2026-12-31T17:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-12-31T16:00:00.000Z",
      end: "2027-12-31T16:00:00.000Z",
    });
  });

  it("other durations roll from the anchor without drifting at month ends", () => {
    // Anchored at Jan 31, P2M periods start Jan 31, Mar 31, May 31 (not Mar 28 after a clamped Feb).
    const anchor = ms("2026-01-31T02:00:00Z");
    expect(iso(quotaPeriodAt("P2M", ms("2026-04-15T00:00:00Z"), "Asia/Shanghai", anchor))).toEqual({
      start: "2026-03-31T02:00:00.000Z",
      end: "2026-05-31T02:00:00.000Z",
    });
    expect(iso(quotaPeriodAt("P2M", ms("2026-02-15T00:00:00Z"), "Asia/Shanghai", anchor))).toEqual({
      start: "2026-01-31T02:00:00.000Z",
      end: "2026-03-31T02:00:00.000Z",
    });
    // Seven days keep the local wall-clock time across New York's spring change.
    const ny = ms("2026-03-02T15:00:00Z"); // 10:00 EST
    expect(iso(quotaPeriodAt("P7D", ms("2026-03-10T00:00:00Z"), "America/New_York", ny))).toEqual({
      start: "2026-03-09T14:00:00.000Z",
      end: "2026-03-16T14:00:00.000Z",
    });
    // Hours are exact, far from the anchor too.
    const far = quotaPeriodAt("PT12H", anchor + 1000 * 12 * 3_600_000 + 5, "UTC", anchor);
    expect(far.start).toBe(anchor + 1000 * 12 * 3_600_000);
    expect(far.end - far.start).toBe(12 * 3_600_000);
  });

  it("rejects what is not a period", () => {
    expect(() => quotaPeriodAt("P0D", ms("2026-02-10T00:00:00Z"), "UTC", ANCHOR)).toThrow(RangeError);
    expect(() => quotaPeriodAt("daily", ms("2026-02-10T00:00:00Z"), "UTC", ANCHOR)).toThrow(RangeError);
    expect(() => quotaPeriodAt("P1D", ms("2026-02-10T00:00:00Z"), "Mars/Olympus", ANCHOR)).toThrow(
      RangeError,
    );
  });
});
