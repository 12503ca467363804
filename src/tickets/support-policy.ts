/**
 * The desk's SLA policy: per priority, targets in business time of one calendar. Validation lists
 * every problem at once; the default applies until an admin puts one.
 */
import { Duration } from "luxon";
import { type BusinessCalendar, calendarProblems } from "../time/business-calendar.js";
import { isValidIsoDuration } from "../time/durations.js";
import { PRIORITIES, type Priority } from "./ticket-types.js";

export interface PriorityTargets {
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  warnBefore: string;
}

export interface SupportPolicy {
  calendar: BusinessCalendar;
  priorities: Record<Priority, PriorityTargets>;
  /** Calendar time a self-resolved ticket waits for the member's answer before it closes. */
  autoCloseAfter: string;
}

export const DEFAULT_SUPPORT_POLICY: SupportPolicy = {
  calendar: {
    timeZone: "Asia/Shanghai",
    week: Object.fromEntries(
      (["mon", "tue", "wed", "thu", "fri"] as const).map((d) => [
        d,
        [
          { from: "09:00", to: "12:00" },
          { from: "13:00", to: "18:00" },
        ],
      ]),
    ),
    publicHolidays: "cn",
  },
  priorities: {
    urgent: { firstResponse: "PT1H", nextResponse: "PT1H", resolution: "PT8H", warnBefore: "PT15M" },
    high: { firstResponse: "PT2H", nextResponse: "PT4H", resolution: "PT16H", warnBefore: "PT30M" },
    normal: { firstResponse: "PT8H", nextResponse: "PT8H", resolution: "PT40H", warnBefore: "PT1H" },
    low: { firstResponse: "PT16H", nextResponse: "PT16H", resolution: "PT80H", warnBefore: "PT2H" },
  },
  autoCloseAfter: "P3D",
};

/** Business time is counted in hours and minutes (a "business day" means different hours per desk). */
const BUSINESS_DURATION = /^PT(?:\d{1,5}H)?(?:\d{1,5}M)?(?:\d{1,5}S)?$/;

export function businessMs(iso: string): number {
  return Duration.fromISO(iso).as("milliseconds");
}

/** Every problem of a policy at once, as JSON pointers. */
export function policyProblems(policy: SupportPolicy): { path: string; message: string }[] {
  const problems = calendarProblems(policy.calendar).map((p) => ({ ...p, path: `/calendar${p.path}` }));
  for (const priority of PRIORITIES) {
    const targets = policy.priorities[priority];
    for (const key of ["firstResponse", "nextResponse", "resolution", "warnBefore"] as const) {
      const value = targets[key];
      if (!BUSINESS_DURATION.test(value) || value === "PT") {
        problems.push({
          path: `/priorities/${priority}/${key}`,
          message: `"${value}" is not a business duration (PT…H…M…S)`,
        });
      } else if (key !== "warnBefore" && businessMs(value) === 0) {
        problems.push({ path: `/priorities/${priority}/${key}`, message: "must be more than zero" });
      }
    }
    const ok = (v: string) => BUSINESS_DURATION.test(v) && v !== "PT";
    if (ok(targets.warnBefore) && ok(targets.firstResponse)) {
      const warn = businessMs(targets.warnBefore);
      for (const key of ["firstResponse", "nextResponse", "resolution"] as const) {
        if (ok(targets[key]) && warn >= businessMs(targets[key])) {
          problems.push({
            path: `/priorities/${priority}/warnBefore`,
            message: `must be shorter than ${key} (${targets[key]})`,
          });
        }
      }
    }
  }
  if (!isValidIsoDuration(policy.autoCloseAfter) || policy.autoCloseAfter === "PT0S") {
    problems.push({ path: "/autoCloseAfter", message: `"${policy.autoCloseAfter}" is not an ISO duration` });
  }
  return problems;
}
