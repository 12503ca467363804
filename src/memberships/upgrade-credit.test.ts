import { describe, expect, it } from "vitest";
import { addIsoDuration } from "../time/durations.js";
import { creditTime, unusedValue } from "./upgrade-credit.js";

const DAY = 86_400_000;
const utc = (s: string) => Date.parse(`${s}Z`);
const month = (start: number, tz = "UTC") => ({
  amount: 1500,
  currency: "CNY",
  start,
  end: addIsoDuration(start, "P1M", tz),
});

describe("upgrade credit", () => {
  it("a month bought on 31 January of a leap year runs to 29 February: 29 days of value", () => {
    const paid = month(utc("2028-01-31T00:00:00"));
    expect(new Date(paid.end).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    // Upgraded on 15 February: 14 of 29 days unused → floor(1500 × 14 / 29) = 724.
    const at = utc("2028-02-15T00:00:00");
    expect(unusedValue([paid], "CNY", at)).toBe(724);
    // svip at 3000 a month from 15 February: that month is 29 days (to 15 March, 2028).
    const periodMs = addIsoDuration(at, "P1M", "UTC") - at;
    expect(periodMs).toBe(29 * DAY);
    expect(creditTime(724, 3000, periodMs)).toBe(Math.floor((724 * 29 * DAY) / 3000));
    expect(creditTime(724, 3000, periodMs)).toBe(604_684_800);
  });

  it("the same purchase in a common year runs to 28 February: the same day is worth more", () => {
    const paid = month(utc("2027-01-31T00:00:00"));
    expect(new Date(paid.end).toISOString()).toBe("2027-02-28T00:00:00.000Z");
    // 13 of 28 days unused → floor(1500 × 13 / 28) = 696.
    expect(unusedValue([paid], "CNY", utc("2027-02-15T00:00:00"))).toBe(696);
  });

  it("a year bought on 29 February ends on 28 February; its days are 1/365 of the price", () => {
    const start = utc("2028-02-29T00:00:00");
    const paid = { amount: 15800, currency: "CNY", start, end: addIsoDuration(start, "P1Y", "UTC") };
    expect(new Date(paid.end).toISOString()).toBe("2029-02-28T00:00:00.000Z");
    expect(paid.end - paid.start).toBe(365 * DAY);
    // Upgraded after 73 days: 292 of 365 unused → 15800 × 292 / 365 = 12640 exactly.
    expect(unusedValue([paid], "CNY", start + 73 * DAY)).toBe(12640);
  });

  it("month ends follow the member's time zone: 31 January in Shanghai is 30 January in UTC", () => {
    const start = Date.parse("2028-01-31T00:00:00+08:00");
    const paid = month(start, "Asia/Shanghai");
    expect(new Date(paid.end).toISOString()).toBe("2028-02-28T16:00:00.000Z");
  });

  it("sums renewals: a paid period that has not started counts in full, a past one not at all", () => {
    const first = month(utc("2026-10-01T00:00:00"));
    const second = { ...month(first.end) };
    const third = { ...month(second.end) };
    const at = first.end + 10 * DAY; // 10 days into the second month (30 days)
    expect(unusedValue([first, second, third], "CNY", at)).toBe(0 + 1000 + 1500);
  });

  it("carries no credit across currencies, for free plans, or at the very end", () => {
    const paid = month(utc("2026-11-01T00:00:00"));
    expect(unusedValue([{ ...paid, currency: "USD" }], "CNY", paid.start)).toBe(0);
    expect(unusedValue([paid], "CNY", paid.end)).toBe(0);
    expect(unusedValue([paid], "CNY", paid.start)).toBe(1500);
    expect(creditTime(1000, 0, 30 * DAY)).toBe(0);
    expect(creditTime(0, 3000, 30 * DAY)).toBe(0);
  });
});
