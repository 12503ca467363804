import { describe, expect, it } from "vitest";
import { parseIsoDateTime } from "./iso-time.js";

describe("parseIsoDateTime", () => {
  it("accepts ISO date-times with an offset", () => {
    expect(parseIsoDateTime("2026-11-24T02:00:00Z")).toBe(Date.UTC(2026, 10, 24, 2));
    expect(parseIsoDateTime("2026-11-24T10:00+08:00")).toBe(Date.UTC(2026, 10, 24, 2));
    expect(parseIsoDateTime("2026-11-24T02:00:00.123456Z")).toBe(Date.UTC(2026, 10, 24, 2, 0, 0, 123));
  });

  it("refuses what Date.parse would guess at", () => {
    for (const bad of [
      "1",
      "%00",
      "2026-11-24",
      "2026-11-24T02:00:00",
      "paid in 2020",
      "2026-13-45T99:99Z",
      "",
      5,
      null,
    ]) {
      expect(parseIsoDateTime(bad)).toBeNull();
    }
  });
});
