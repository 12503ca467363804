/** The small pieces every part of catalog validation uses: type guards, paths, scopes, durations, dates. */
import { durationToMillisApprox, isValidIsoDuration } from "../time/durations.js";
import { CODE_PATTERN, DATE_TIME_PATTERN, LIMITS } from "./catalog-schema.js";

export type Obj = Record<string, unknown>;

/** Every tag a catalog problem carries: a closed list, so clients can switch on it. */
export const CATALOG_PROBLEM_CODES = [
  "coupon_value",
  "currency_mismatch",
  "duplicate_benefit",
  "duplicate_code",
  "duplicate_coupon",
  "duplicate_rank",
  "invalid_combination",
  "invalid_date",
  "invalid_duration",
  "invalid_limits",
  "invalid_semver",
  "invalid_type",
  "invalid_value",
  "invalid_window",
  "kind_mismatch",
  "missing_field",
  "scope_conflict",
  "too_long",
  "too_many_items",
  "too_many_problems",
  "unknown_benefit",
  "unknown_coupon",
  "unknown_field",
  "unknown_tier",
] as const;

export type CatalogProblemCode = (typeof CATALOG_PROBLEM_CODES)[number];

export type Add = (path: string, message: string, code: CatalogProblemCode) => void;

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === "string";
/** The array, or nothing when it is not one or too long to be worth checking (already reported). */
export const items = (v: unknown, max: number): unknown[] => (Array.isArray(v) && v.length <= max ? v : []);
export const codeRe = new RegExp(CODE_PATTERN);
export const DATE_TIME_RE = new RegExp(DATE_TIME_PATTERN);
export const q = (v: unknown) => JSON.stringify(v);

/** False for a well-formed date-time naming a moment that does not exist (2026-02-30, month 13). */
export function isRealDateTime(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  const [hour, minute] = value.slice(11, 16).split(":").map(Number);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate() &&
    hour <= 23 &&
    minute <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}

export const isPositiveInteger = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/** Reports values both allowed and excluded; `at` is the object holding the scope fields. */
export function checkScope(scope: Obj, at: string, add: Add): void {
  for (const [allow, exclude] of SCOPE_PAIRS) {
    const allowed = new Set(items(scope[allow], LIMITS.listItems));
    const both = [...new Set(items(scope[exclude], LIMITS.listItems))].filter(
      (v) => isStr(v) && allowed.has(v),
    );
    if (both.length > 0) {
      const msg = `${both.map(q).join(", ")} both allowed by ${allow} and excluded`;
      add(`${at}/${exclude}`, msg, "scope_conflict");
    }
  }
}

export function isPositiveDuration(s: string): boolean {
  return isValidIsoDuration(s) && durationToMillisApprox(s) > 0;
}

const SCOPE_PAIRS = [
  ["categories", "excludeCategories"],
  ["products", "excludeProducts"],
  ["channels", "excludeChannels"],
] as const;
