import { describe, expect, it } from "vitest";
import { nextQuery, DEFAULT_PAYMENT_QUERY_POLICY as P, queryInstant } from "./payment-query-policy.js";

const MIN = 60_000;
const created = Date.parse("2026-12-31T23:58:00+08:00");

describe("when a pending order is asked about", () => {
  it("5, 15, 35, 75, 155 minutes after creation, then every 2 hours", () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7].map((n) => (queryInstant(created, n, P)! - created) / MIN);
    expect(minutes).toEqual([5, 15, 35, 75, 155, 275, 395]);
  });

  it("the first query is due exactly `after` past creation, not a millisecond sooner", () => {
    expect(nextQuery(created, created, P)).toEqual({ attempt: 1, at: created + 5 * MIN });
    expect(nextQuery(created, created + 5 * MIN - 1, P)).toEqual({ attempt: 1, at: created + 5 * MIN });
    // Run at its instant, the next is 10 minutes later.
    expect(nextQuery(created, created + 5 * MIN, P)).toEqual({ attempt: 2, at: created + 15 * MIN });
  });

  it("a job that ran late skips the instants it missed instead of asking several times at once", () => {
    expect(nextQuery(created, created + 100 * MIN, P)).toEqual({ attempt: 5, at: created + 155 * MIN });
  });

  it("the last query is at or before 48 hours after creation; none after", () => {
    const limit = created + P.giveUpAfterMs;
    const last = nextQuery(created, limit - 2 * 60 * MIN, P)!;
    expect(last.at).toBeLessThanOrEqual(limit);
    expect(nextQuery(created, last.at, P)).toBeNull();
    // On the grid: 155 + 120·k minutes; 2795 (46 h 35 min) is the last at or before 2880.
    expect((last.at - created) / MIN).toBe(2795);
    expect(queryInstant(created, 27, P)).toBe(created + 2795 * MIN);
    expect(queryInstant(created, 28, P)).toBeNull();
  });

  it("a policy whose give-up age equals an instant still asks at that instant (inclusive)", () => {
    const policy = { afterMs: 5 * MIN, capMs: 120 * MIN, giveUpAfterMs: 35 * MIN };
    expect(nextQuery(created, created + 15 * MIN, policy)).toEqual({ attempt: 3, at: created + 35 * MIN });
    expect(nextQuery(created, created + 35 * MIN, policy)).toBeNull();
  });
});
