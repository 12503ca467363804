import { describe, expect, it } from "vitest";
import { defaultAnchor, periodAfter, periodAt } from "./usage-period.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (p: { start: number; end: number }) => ({
  start: new Date(p.start).toISOString(),
  end: new Date(p.end).toISOString(),
});
const ANCHOR = ms("2026-01-31T02:00:00Z");

describe("calendar and membership periods", () => {
  it("P1D is the member's local day, resetting at local midnight", () => {
    // 23:30 UTC is 07:30 next morning in Shanghai: that day, not the UTC one.
    expect(iso(periodAt("P1D", "calendar", ms("2026-11-24T23:30:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-11-24T16:00:00.000Z",
      end: "2026-11-25T16:00:00.000Z",
    });
    // The last instant of a day belongs to it; its end belongs to the next.
    const end = ms("2026-11-25T16:00:00Z");
    expect(periodAt("P1D", "calendar", end - 1, "Asia/Shanghai", ANCHOR).end).toBe(end);
    expect(periodAt("P1D", "calendar", end, "Asia/Shanghai", ANCHOR).start).toBe(end);
  });

  it("P1D is 23 or 25 hours long on DST days in New York and London", () => {
    const spring = periodAt("P1D", "calendar", ms("2026-03-08T15:00:00Z"), "America/New_York", ANCHOR);
    expect(iso(spring)).toEqual({ start: "2026-03-08T05:00:00.000Z", end: "2026-03-09T04:00:00.000Z" });
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    const autumn = periodAt("P1D", "calendar", ms("2026-10-25T12:00:00Z"), "Europe/London", ANCHOR);
    expect(iso(autumn)).toEqual({ start: "2026-10-24T23:00:00.000Z", end: "2026-10-26T00:00:00.000Z" });
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
  });

  it("P1M is the local calendar month, whatever its length", () => {
    expect(iso(periodAt("P1M", "calendar", ms("2026-02-10T00:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-01-31T16:00:00.000Z",
      end: "2026-02-28T16:00:00.000Z",
    });
    // 2028 is a leap year; the last day of February belongs to February.
    expect(iso(periodAt("P1M", "calendar", ms("2028-02-29T15:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2028-01-31T16:00:00.000Z",
      end: "2028-02-29T16:00:00.000Z",
    });
    // New York's March starts in winter time and ends in summer time.
    expect(iso(periodAt("P1M", "calendar", ms("2026-03-20T00:00:00Z"), "America/New_York", ANCHOR))).toEqual({
      start: "2026-03-01T05:00:00.000Z",
      end: "2026-04-01T04:00:00.000Z",
    });
  });

  it("P1W starts on Monday and P1Y on 1 January, local time", () => {
    // 2026-11-26 is a Thursday.
    expect(iso(periodAt("P1W", "calendar", ms("2026-11-26T12:00:00Z"), "Europe/London", ANCHOR))).toEqual({
      start: "2026-11-23T00:00:00.000Z",
      end: "2026-11-30T00:00:00.000Z",
    });
    expect(iso(periodAt("P1Y", "calendar", ms("2026-12-31T17:00:00Z"), "Asia/Shanghai", ANCHOR))).toEqual({
      start: "2026-12-31T16:00:00.000Z",
      end: "2027-12-31T16:00:00.000Z",
    });
  });

  it("membership periods roll from the membership start without drifting at month ends", () => {
    // Bought Jan 31: P2M periods start Jan 31, Mar 31, May 31 (not Mar 28 after a clamped Feb).
    const anchor = ms("2026-01-31T02:00:00Z");
    expect(iso(periodAt("P2M", "membership", ms("2026-04-15T00:00:00Z"), "Asia/Shanghai", anchor))).toEqual({
      start: "2026-03-31T02:00:00.000Z",
      end: "2026-05-31T02:00:00.000Z",
    });
    expect(iso(periodAt("P2M", "membership", ms("2026-02-15T00:00:00Z"), "Asia/Shanghai", anchor))).toEqual({
      start: "2026-01-31T02:00:00.000Z",
      end: "2026-03-31T02:00:00.000Z",
    });
    // Seven days keep the local wall-clock time across New York's spring change.
    const ny = ms("2026-03-02T15:00:00Z"); // 10:00 EST
    expect(iso(periodAt("P7D", "membership", ms("2026-03-10T00:00:00Z"), "America/New_York", ny))).toEqual({
      start: "2026-03-09T14:00:00.000Z",
      end: "2026-03-16T14:00:00.000Z",
    });
    // Hours are exact, far from the anchor too.
    const far = periodAt("PT12H", "membership", anchor + 1000 * 12 * 3_600_000 + 5, "UTC", anchor);
    expect(far.start).toBe(anchor + 1000 * 12 * 3_600_000);
    expect(far.end - far.start).toBe(12 * 3_600_000);
  });

  it("rejects what is not a period", () => {
    expect(() => periodAt("P0D", "calendar", ms("2026-02-10T00:00:00Z"), "UTC", ANCHOR)).toThrow(RangeError);
    expect(() => periodAt("daily", "calendar", ms("2026-02-10T00:00:00Z"), "UTC", ANCHOR)).toThrow(
      RangeError,
    );
    expect(() => periodAt("P1D", "calendar", ms("2026-02-10T00:00:00Z"), "Mars/Olympus", ANCHOR)).toThrow(
      RangeError,
    );
  });
});

describe("period anchors", () => {
  const SH = "Asia/Shanghai";
  const starts = (period: string, from: number, count: number, tz = SH, membershipStart = from) => {
    const out: string[] = [];
    let p = periodAt(period, "membership", from, tz, membershipStart);
    for (let i = 0; i < count; i++) {
      out.push(new Date(p.start).toISOString());
      p = periodAfter(period, "membership", p.end, tz, membershipStart);
    }
    return out;
  };

  it("defaults: calendar below a month, membership from a month on", () => {
    expect(["PT6H", "P1D", "P1W", "P7D", "P4W"].map(defaultAnchor)).toEqual(Array(5).fill("calendar"));
    expect(["P1M", "P30D", "P3M", "P1Y"].map(defaultAnchor)).toEqual(Array(4).fill("membership"));
  });

  it("a monthly pack bought on 31 January clamps to 28 February, then goes back to the 31st", () => {
    // 10:00 in Shanghai on 31 January 2026.
    expect(starts("P1M", ms("2026-01-31T02:00:00Z"), 4)).toEqual([
      "2026-01-31T02:00:00.000Z",
      "2026-02-28T02:00:00.000Z",
      "2026-03-31T02:00:00.000Z",
      "2026-04-30T02:00:00.000Z",
    ]);
    // In a leap year February has its 29th.
    expect(starts("P1M", ms("2028-01-31T02:00:00Z"), 3)).toEqual([
      "2028-01-31T02:00:00.000Z",
      "2028-02-29T02:00:00.000Z",
      "2028-03-31T02:00:00.000Z",
    ]);
  });

  it("bought on 29 February, a yearly period falls on 28 February, then 29 February again in 2032", () => {
    const leap = ms("2028-02-29T04:00:00Z");
    const p = periodAt("P1Y", "membership", ms("2029-03-01T00:00:00Z"), SH, leap);
    expect(iso(p)).toEqual({ start: "2029-02-28T04:00:00.000Z", end: "2030-02-28T04:00:00.000Z" });
    expect(iso(periodAt("P1Y", "membership", ms("2032-03-01T00:00:00Z"), SH, leap)).start).toBe(
      "2032-02-29T04:00:00.000Z",
    );
  });

  it("a member who buys on the 29th holds a whole month, not the two days left of the calendar month", () => {
    const bought = ms("2026-11-29T12:00:00Z");
    const calendar = periodAt("P1M", "calendar", bought, SH, bought);
    const membership = periodAt("P1M", "membership", bought, SH, bought);
    expect(iso(calendar).end).toBe("2026-11-30T16:00:00.000Z");
    expect(iso(membership)).toEqual({ start: "2026-11-29T12:00:00.000Z", end: "2026-12-29T12:00:00.000Z" });
  });

  it("membership months keep the local time across DST changes (New York, Berlin)", () => {
    // 09:00 in New York on 15 February (EST) → 09:00 on 15 March (EDT).
    expect(starts("P1M", ms("2026-02-15T14:00:00Z"), 2, "America/New_York")).toEqual([
      "2026-02-15T14:00:00.000Z",
      "2026-03-15T13:00:00.000Z",
    ]);
    // 09:00 in Berlin on 10 October (CEST) → 09:00 on 10 November (CET).
    expect(starts("P1M", ms("2026-10-10T07:00:00Z"), 2, "Europe/Berlin")).toEqual([
      "2026-10-10T07:00:00.000Z",
      "2026-11-10T08:00:00.000Z",
    ]);
  });

  it("calendar periods of other lengths: quarters, every other Monday, parts of a day", () => {
    expect(iso(periodAt("P3M", "calendar", ms("2026-05-20T00:00:00Z"), SH, 0))).toEqual({
      start: "2026-03-31T16:00:00.000Z",
      end: "2026-06-30T16:00:00.000Z",
    });
    const fortnight = periodAt("P2W", "calendar", ms("2026-11-26T12:00:00Z"), "UTC", 0);
    expect(new Date(fortnight.start).getUTCDay()).toBe(1);
    expect(fortnight.end - fortnight.start).toBe(14 * 86_400_000);
    // PT6H divides the local day from midnight: 18:00–24:00 in Shanghai.
    expect(iso(periodAt("PT6H", "calendar", ms("2026-11-24T13:00:00Z"), SH, 0))).toEqual({
      start: "2026-11-24T10:00:00.000Z",
      end: "2026-11-24T16:00:00.000Z",
    });
    // PT7H: the day's last part is 3 hours long, and the next day starts again at midnight.
    expect(iso(periodAt("PT7H", "calendar", ms("2026-11-24T15:00:00Z"), SH, 0))).toEqual({
      start: "2026-11-24T13:00:00.000Z",
      end: "2026-11-24T16:00:00.000Z",
    });
  });

  it("a time zone change between two periods leaves neither an overlap nor a gap", () => {
    const bought = ms("2026-01-10T02:00:00Z"); // 10:00 in Shanghai, 21:00 the day before in New York
    const first = periodAt("P1M", "membership", bought, SH, bought);
    const next = periodAfter("P1M", "membership", first.end, "America/New_York", bought);
    expect(next.start).toBe(first.end);
    expect(next.end).toBeGreaterThan(next.start);
    // The member's next anniversary in New York: 21:00 on 9 March (EDT).
    expect(new Date(next.end).toISOString()).toBe("2026-03-10T01:00:00.000Z");
  });
});
