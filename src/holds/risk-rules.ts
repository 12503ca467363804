/**
 * The risk rules: data, not code. Stored in the `settings` table, edited by admins with
 * `PUT /v1/risk-rules`, read by evaluateSignal().
 */
import { type Static, Type } from "@sinclair/typebox";
import type { ErrorDetail } from "../errors.js";
import { durationToMillisApprox } from "../time/durations.js";

/**
 * Windows are fixed lengths (weeks, days, hours, minutes, seconds): "the last day" of a rule must
 * not depend on a calendar or a time zone.
 */
export const WINDOW_PATTERN =
  "^P(?!$)(\\d{1,4}W)?(\\d{1,4}D)?(T(?=\\d)(\\d{1,4}H)?(\\d{1,4}M)?(\\d{1,4}S)?)?$";
export const PARTNER_CHANNEL_PATTERN = "^partner:[A-Za-z0-9_.-]{1,64}$";
const Window = (description: string) => Type.String({ pattern: WINDOW_PATTERN, maxLength: 32, description });

export const RiskRulesSchema = Type.Object(
  {
    sharedDevice: Type.Object(
      {
        enabled: Type.Boolean(),
        maxMembers: Type.Integer({
          minimum: 1,
          maximum: 1000,
          description: "A login on a device that more than this many members used within `window` is held.",
        }),
        window: Window("How far back a device's members are counted, e.g. P1D."),
      },
      { additionalProperties: false },
    ),
    unusualLocation: Type.Object(
      {
        enabled: Type.Boolean(),
        window: Window(
          "A login away from the usual location this soon after a login at the usual location is held, e.g. PT2H.",
        ),
        history: Window("The logins that define the usual location, e.g. P30D."),
        minHistoryLogins: Type.Integer({
          minimum: 1,
          maximum: 1000,
          description: "Logins at one location before it counts as usual.",
        }),
        compare: Type.Union([Type.Literal("country"), Type.Literal("city")], {
          description: "`country`: another country is far; `city`: another city is far too.",
        }),
      },
      { additionalProperties: false },
    ),
    unofficialChannel: Type.Object(
      {
        enabled: Type.Boolean(),
        authorizedPartners: Type.Array(Type.String({ pattern: PARTNER_CHANNEL_PATTERN }), {
          maxItems: 500,
          uniqueItems: true,
          description: "Partner channels (`partner:<id>`) that count as official.",
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type RiskRules = Static<typeof RiskRulesSchema>;

export const DEFAULT_RISK_RULES: RiskRules = {
  sharedDevice: { enabled: true, maxMembers: 3, window: "P1D" },
  unusualLocation: {
    enabled: true,
    window: "PT2H",
    history: "P30D",
    minHistoryLogins: 3,
    compare: "country",
  },
  unofficialChannel: { enabled: true, authorizedPartners: [] },
};

/** The channels every platform owns; partners count only when the rules list them. */
export const OFFICIAL_CHANNELS: readonly string[] = ["official_app", "official_web"];

const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;

/** The length of a rule window in milliseconds (exact: windows have no months or years). */
export function windowMillis(window: string): number {
  return durationToMillisApprox(window);
}

/**
 * Problems the schema cannot see: windows of zero or over a year, and a usual-location window longer
 * than the history it looks at. Every problem, each with its path.
 */
export function riskRulesProblems(rules: RiskRules): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const windows: [string, string][] = [
    ["/sharedDevice/window", rules.sharedDevice.window],
    ["/unusualLocation/window", rules.unusualLocation.window],
    ["/unusualLocation/history", rules.unusualLocation.history],
  ];
  for (const [path, window] of windows) {
    const ms = windowMillis(window);
    if (ms <= 0) problems.push({ path, message: "must be longer than zero" });
    else if (ms > MAX_WINDOW_MS) problems.push({ path, message: "must be at most 366 days" });
  }
  if (windowMillis(rules.unusualLocation.window) > windowMillis(rules.unusualLocation.history)) {
    problems.push({ path: "/unusualLocation/window", message: "must not be longer than history" });
  }
  return problems;
}
