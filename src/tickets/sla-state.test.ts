import { describe, expect, it } from "vitest";
import {
  answeredSla,
  awaitingAnswerSla,
  latestMiss,
  openedSla,
  pausedSla,
  readClocks,
  reopenedSla,
  soonestDue,
} from "./sla-state.js";
import { DEFAULT_SUPPORT_POLICY, policyProblems, type SupportPolicy } from "./support-policy.js";

const HOUR = 3600_000;
/** New York, 9–17 on weekdays, no holidays: DST starts Sunday 8 March 2026 (02:00 → 03:00). */
const NY: SupportPolicy = {
  ...DEFAULT_SUPPORT_POLICY,
  calendar: {
    timeZone: "America/New_York",
    week: Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: "09:00", to: "17:00" }]]),
    ),
    publicHolidays: "none",
  },
  priorities: {
    ...DEFAULT_SUPPORT_POLICY.priorities,
    normal: { firstResponse: "PT4H", nextResponse: "PT2H", resolution: "PT16H", warnBefore: "PT30M" },
  },
};
const ticket = (sla = openedSla(0), status: "open" | "waiting_on_member" | "resolved" = "open") => ({
  sla,
  status,
  priority: "normal" as const,
  promisedBy: null,
});
const at = (s: string) => Date.parse(s);

describe("SLA clocks", () => {
  it("a target over the spring-forward weekend keeps local office hours", () => {
    // Friday 6 March 15:00 EST: 2 h that day, 2 h on Monday from 09:00 EDT (13:00Z, not 14:00Z).
    const opened = at("2026-03-06T20:00:00Z");
    const [first, resolution] = readClocks(ticket(openedSla(opened)), NY, opened);
    expect(first).toMatchObject({ target: "first_response", dueAt: at("2026-03-09T15:00:00Z") });
    expect(first.warnAt).toBe(at("2026-03-09T14:30:00Z"));
    // 16 h: 2 on Friday, 8 on Monday, 6 on Tuesday → 15:00 EDT = 19:00Z.
    expect(resolution.dueAt).toBe(at("2026-03-10T19:00:00Z"));
  });

  it("pauses keep what was used; the answer ends the response target; a member reply starts the next", () => {
    const opened = at("2026-03-02T14:00:00Z"); // Monday 09:00 EST
    const answered = answeredSla(openedSla(opened));
    const paused = pausedSla(answered, opened + HOUR);
    const view = readClocks(ticket(paused, "waiting_on_member"), NY, opened + 50 * HOUR);
    expect(view).toEqual([
      expect.objectContaining({
        target: "resolution",
        dueAt: null,
        running: false,
        breached: false,
        remainingMs: 15 * HOUR,
      }),
    ]);
    expect(soonestDue(view)).toBeNull();
    const back = awaitingAnswerSla(paused, at("2026-03-04T14:00:00Z")); // Wednesday 09:00
    const [next, resolution] = readClocks(ticket(back), NY, at("2026-03-04T14:00:00Z"));
    expect(next).toMatchObject({ target: "next_response", cycle: 2, dueAt: at("2026-03-04T16:00:00Z") });
    // 15 h left from Wednesday 09:00: 8 that day, 7 on Thursday → 16:00 EST = 21:00Z.
    expect(resolution.dueAt).toBe(at("2026-03-05T21:00:00Z"));
  });

  it("a reopened ticket starts a fresh resolution clock and never breaches at once", () => {
    const opened = at("2026-03-02T14:00:00Z");
    const late = opened + 30 * 24 * HOUR;
    const reopened = reopenedSla(pausedSla(openedSla(opened), opened + 20 * 24 * HOUR), late);
    const clocks = readClocks(ticket(reopened), NY, late);
    expect(clocks.every((c) => !c.breached)).toBe(true);
    expect(clocks.find((c) => c.target === "resolution")?.cycle).toBe(2);
  });

  it("a promise is a target: missed once past, and the latest miss counts for escalation", () => {
    const opened = at("2026-03-02T14:00:00Z");
    const promised = { ...ticket(openedSla(opened)), promisedBy: new Date(opened + HOUR) };
    const clocks = readClocks(promised, NY, opened + HOUR + 1);
    expect(clocks.find((c) => c.target === "promise")).toMatchObject({
      breached: true,
      dueAt: opened + HOUR,
    });
    expect(latestMiss(promised.sla, clocks)).toBe(opened + HOUR);
    expect(latestMiss(promised.sla, readClocks(promised, NY, opened + HOUR))).toBeNull();
  });

  it("lists every problem of a policy at once", () => {
    const bad = structuredClone(NY);
    bad.priorities.urgent.resolution = "PT0M";
    bad.priorities.normal.nextResponse = "P1D";
    bad.autoCloseAfter = "soon";
    expect(policyProblems(bad).map((p) => p.path)).toEqual([
      "/priorities/urgent/resolution",
      // PT15M is not shorter than a zero resolution either.
      "/priorities/urgent/warnBefore",
      "/priorities/normal/nextResponse",
      "/autoCloseAfter",
    ]);
    expect(policyProblems(NY)).toEqual([]);
  });
});
