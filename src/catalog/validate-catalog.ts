/** Validates a catalog document, listing every structural and semantic problem at once. */
import type { Static, TSchema } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import semver from "semver";
import type { ErrorDetail } from "../errors.js";
import { durationToMillisApprox, isValidIsoDuration } from "../time/durations.js";
import {
  CatalogDocumentSchema,
  type CatalogDocumentStatic,
  CatalogPutBodySchema,
  type CatalogPutMetaSchema,
  CODE_PATTERN,
  DATE_TIME_PATTERN,
  LIMITS,
  PATTERN_HINTS,
} from "./catalog-schema.js";
import { BENEFIT_KINDS, type CatalogDocument } from "./catalog-types.js";

/** A problem found in a catalog; `code` is a short machine tag such as `unknown_benefit`. */
export interface CatalogProblem extends ErrorDetail {
  code: string;
}

export type ValidateCatalogResult =
  | { ok: true; document: CatalogDocument }
  | { ok: false; problems: CatalogProblem[] };

/** Beyond this many problems the rest are summarized: enough to fix a document, bounded for the server. */
export const MAX_PROBLEMS = 100;

type Obj = Record<string, unknown>;
type Add = (path: string, message: string, code: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
/** The array, or nothing when it is not one or too long to be worth checking (already reported). */
const items = (v: unknown, max: number): unknown[] => (Array.isArray(v) && v.length <= max ? v : []);
const codeRe = new RegExp(CODE_PATTERN);
const DATE_TIME_RE = new RegExp(DATE_TIME_PATTERN);
const q = (v: unknown) => JSON.stringify(v);

/** Validates a catalog document: `{ok: true, document}` or every problem found. */
export function validateCatalog(input: unknown): ValidateCatalogResult {
  return validate(input, CatalogDocumentSchema);
}

export type CatalogPutMeta = Static<typeof CatalogPutMetaSchema>;

/**
 * Validates the body of `PUT /v1/catalog`, the document and its metadata (`notice`, `effectiveFrom`,
 * `policy`) together, so every problem of either is listed in one answer.
 */
export function validateCatalogPut(
  input: unknown,
): { ok: true; document: CatalogDocument; meta: CatalogPutMeta } | { ok: false; problems: CatalogProblem[] } {
  const result = validate(input, CatalogPutBodySchema);
  const dateProblem = effectiveFromProblem(input);
  if (!result.ok) return dateProblem ? { ok: false, problems: [...result.problems, dateProblem] } : result;
  if (dateProblem) return { ok: false, problems: [dateProblem] };
  const { notice, effectiveFrom, policy, ...document } = result.document as CatalogDocument & CatalogPutMeta;
  return { ok: true, document, meta: { notice, effectiveFrom, policy } };
}

/** A well-formed `effectiveFrom` naming a day that does not exist (2026-02-30, month 13); null when fine. */
function effectiveFromProblem(input: unknown): CatalogProblem | null {
  const value = isObj(input) ? input.effectiveFrom : undefined;
  if (!isStr(value) || !DATE_TIME_RE.test(value)) return null;
  return isRealDateTime(value)
    ? null
    : { path: "/effectiveFrom", message: "is not a real date and time", code: "invalid_date" };
}

/** False for a well-formed date-time naming a moment that does not exist (2026-02-30, month 13). */
function isRealDateTime(value: string): boolean {
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

function validate(input: unknown, schema: TSchema): ValidateCatalogResult {
  const problems: CatalogProblem[] = [];
  let overflow = false;
  const add: Add = (path, message, code) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message, code });
    else overflow = true;
  };
  const required = new Set<string>();
  const tooLong: string[] = [];
  for (const error of Value.Errors(schema, input)) {
    for (const p of translate(error)) {
      // TypeBox reports a missing property twice: once as missing, once as the wrong type.
      if (p.code === "missing_field") required.add(p.path);
      else if (required.has(p.path)) continue;
      // Items of an over-long list are not worth a problem each: its length is the problem.
      if (tooLong.some((prefix) => p.path.startsWith(prefix))) continue;
      if (p.code === "too_many_items") tooLong.push(`${p.path}/`);
      add(p.path, p.message, p.code);
    }
    if (overflow) break;
  }
  if (isObj(input) && !overflow) checkSemantics(input, add);
  if (overflow) {
    const message = `too many problems; only the first ${MAX_PROBLEMS} are listed`;
    problems.push({ path: "", message, code: "too_many_problems" });
  }
  if (problems.length > 0) return { ok: false, problems };
  const document: CatalogDocument = input as CatalogDocumentStatic;
  return { ok: true, document };
}

// ---------------------------------------------------------------------------------------------------
// Structural problems: TypeBox errors rephrased.

function translate(e: ValueError): CatalogProblem[] {
  if (e.type !== ValueErrorType.Union) return [{ path: e.path, ...describe(e) }];
  const variants = (e.schema.anyOf ?? []) as TSchema[];
  if (variants.length > 0 && variants.every((v) => "const" in v)) {
    const allowed = variants.map((v) => q(v.const)).join(", ");
    return [{ path: e.path, message: `must be one of ${allowed}`, code: "invalid_value" }];
  }
  // When the value's JSON type picks out one variant, its errors are the useful ones; otherwise say
  // once what the value may be, instead of a cascade of one failure per variant.
  const matching = variants.flatMap((v, i) => (typeMatches(v, e.value) ? [i] : []));
  if (matching.length === 1) return [...e.errors[matching[0]]].flatMap(translate);
  const kinds = variants.map(describeSchema).join(" or ");
  return [{ path: e.path, message: `must be ${kinds}`, code: "invalid_type" }];
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function typeMatches(schema: TSchema, value: unknown): boolean {
  const t = jsonType(value);
  return schema.type === t || (schema.type === "integer" && t === "number");
}

function describeSchema(schema: TSchema): string {
  switch (schema.type) {
    case "string":
      return schema.minLength ? "a non-empty string" : "a string";
    case "object": {
      const keys = Object.keys(schema.properties ?? {}).map(q);
      return keys.length > 0 ? `an object with any of ${keys.join(", ")}` : "an object";
    }
    case "null":
      return "null";
    default:
      return `a${/^[aeiou]/.test(String(schema.type)) ? "n" : ""} ${String(schema.type)}`;
  }
}

function describe(e: ValueError): { message: string; code: string } {
  const s = e.schema;
  const invalid = (message: string) => ({ message, code: "invalid_value" });
  const wrongType = (what: string) => ({ message: `must be ${what}`, code: "invalid_type" });
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return { message: "is required", code: "missing_field" };
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = e.path
        .slice(e.path.lastIndexOf("/") + 1)
        .replaceAll("~1", "/")
        .replaceAll("~0", "~");
      return { message: `unknown field ${q(key)}`, code: "unknown_field" };
    }
    case ValueErrorType.Object:
      return wrongType("an object");
    case ValueErrorType.Array:
      return wrongType("an array");
    case ValueErrorType.String:
      return wrongType("a string");
    case ValueErrorType.Integer:
      return wrongType("an integer");
    case ValueErrorType.Number:
      return wrongType("a number");
    case ValueErrorType.Boolean:
      return wrongType("true or false");
    case ValueErrorType.Null:
      return wrongType("null");
    case ValueErrorType.Literal:
      return invalid(`must be ${q(s.const)}`);
    case ValueErrorType.StringMinLength:
      return invalid(s.minLength === 1 ? "must not be empty" : `must be at least ${s.minLength} characters`);
    case ValueErrorType.StringMaxLength:
      return { message: `must be at most ${s.maxLength} characters`, code: "too_long" };
    case ValueErrorType.StringPattern:
      return invalid(PATTERN_HINTS[String(s.pattern)] ?? `must match ${s.pattern}`);
    case ValueErrorType.ArrayMinItems:
      return invalid(`must have at least ${s.minItems} item(s); omit the field to apply no restriction`);
    case ValueErrorType.ArrayMaxItems:
      return { message: `must have at most ${s.maxItems} items`, code: "too_many_items" };
    case ValueErrorType.ObjectMinProperties:
      return invalid(
        `must have at least one of ${Object.keys(s.properties ?? {})
          .map(q)
          .join(", ")}`,
      );
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return invalid(`must be at least ${s.minimum}`);
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return invalid(`must be at most ${s.maximum}`);
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return invalid(`must be greater than ${s.exclusiveMinimum}`);
    default:
      return invalid(e.message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Semantic problems. The input may be structurally broken, so every access is guarded.

function checkSemantics(doc: Obj, add: Add): void {
  const benefits = items(doc.benefits, LIMITS.benefits);
  const benefitCodes = new Map<string, number>();
  benefits.forEach((b, i) => {
    if (!isObj(b)) return;
    if (isStr(b.code)) {
      const first = benefitCodes.get(b.code);
      if (first === undefined) benefitCodes.set(b.code, i);
      else
        add(
          `/benefits/${i}/code`,
          `duplicate benefit code ${q(b.code)} (also at /benefits/${first})`,
          "duplicate_code",
        );
    }
    checkBenefit(b, `/benefits/${i}`, add);
  });

  const tierCodes = new Map<string, number>();
  const ranks = new Map<number, number>();
  const planCodes = new Map<string, string>();
  items(doc.tiers, LIMITS.tiers).forEach((t, i) => {
    if (!isObj(t)) return;
    const at = `/tiers/${i}`;
    if (isStr(t.code)) {
      const first = tierCodes.get(t.code);
      if (first === undefined) tierCodes.set(t.code, i);
      else add(`${at}/code`, `duplicate tier code ${q(t.code)} (also at /tiers/${first})`, "duplicate_code");
    }
    if (typeof t.rank === "number") {
      const first = ranks.get(t.rank);
      if (first === undefined) ranks.set(t.rank, i);
      else add(`${at}/rank`, `duplicate rank ${t.rank} (also used by /tiers/${first})`, "duplicate_rank");
    }
    const listed = new Set<string>();
    items(t.benefits, LIMITS.benefitsPerTier).forEach((code, k) => {
      if (!isStr(code) || !codeRe.test(code)) return;
      if (listed.has(code))
        add(`${at}/benefits/${k}`, `benefit ${q(code)} is listed twice`, "duplicate_benefit");
      else if (!benefitCodes.has(code))
        add(`${at}/benefits/${k}`, `unknown benefit ${q(code)}`, "unknown_benefit");
      listed.add(code);
    });
    items(t.plans, LIMITS.plansPerTier).forEach((p, j) => {
      if (!isObj(p)) return;
      const pat = `${at}/plans/${j}`;
      if (isStr(p.code)) {
        const first = planCodes.get(p.code);
        if (first === undefined) planCodes.set(p.code, pat);
        else add(`${pat}/code`, `duplicate plan code ${q(p.code)} (also at ${first})`, "duplicate_code");
      }
      if (isStr(p.period) && !isPositiveDuration(p.period)) {
        add(
          `${pat}/period`,
          "must be an ISO-8601 duration longer than zero, e.g. P1M or P1Y",
          "invalid_duration",
        );
      }
      if (isStr(p.gracePeriod) && !isPositiveDuration(p.gracePeriod)) {
        add(
          `${pat}/gracePeriod`,
          "must be an ISO-8601 duration longer than zero, e.g. P3D",
          "invalid_duration",
        );
      }
    });
  });

  const couponCodes = new Map<string, number>();
  items(doc.coupons, LIMITS.coupons).forEach((c, i) => {
    if (!isObj(c)) return;
    if (isStr(c.code)) {
      const first = couponCodes.get(c.code);
      if (first === undefined) couponCodes.set(c.code, i);
      else
        add(
          `/coupons/${i}/code`,
          `duplicate coupon code ${q(c.code)} (also at /coupons/${first})`,
          "duplicate_code",
        );
    }
    checkCoupon(c, `/coupons/${i}`, tierCodes, add);
  });
  benefits.forEach((b, i) => {
    if (isObj(b) && isObj(b.couponPack))
      checkCouponPack(b.couponPack, `/benefits/${i}/couponPack`, couponCodes, add);
  });
}

const isPositiveInteger = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

function checkCouponPack(pack: Obj, at: string, coupons: ReadonlyMap<string, number>, add: Add): void {
  const seen = new Set<string>();
  items(pack.items, LIMITS.packItems).forEach((item, k) => {
    if (!isObj(item)) return;
    const { coupon, count } = item;
    if (isStr(coupon) && codeRe.test(coupon)) {
      // One item per template: two would be one item with the counts added, said less clearly.
      if (seen.has(coupon))
        add(`${at}/items/${k}/coupon`, `coupon ${q(coupon)} is listed twice`, "duplicate_coupon");
      else if (!coupons.has(coupon))
        add(`${at}/items/${k}/coupon`, `unknown coupon ${q(coupon)}`, "unknown_coupon");
      seen.add(coupon);
    }
    if (typeof count === "number" && !isPositiveInteger(count)) {
      add(`${at}/items/${k}/count`, "must be a whole number of at least 1", "invalid_value");
    }
  });
  if (isStr(pack.period) && !isPositiveDuration(pack.period)) {
    add(`${at}/period`, "must be an ISO-8601 duration longer than zero, e.g. P1M", "invalid_duration");
  }
}

function checkCoupon(c: Obj, at: string, tiers: ReadonlyMap<string, number>, add: Add): void {
  const { percentOff, amountOff, maxOff } = c;
  const cond = isObj(c.conditions) ? c.conditions : {};
  if ((percentOff === undefined) === (amountOff === undefined)) {
    add(at, 'needs exactly one of "percentOff" and "amountOff"', "coupon_value");
  }
  if (typeof percentOff === "number" && !(percentOff > 0 && percentOff <= 100)) {
    add(`${at}/percentOff`, "must be greater than 0 and at most 100", "invalid_value");
  }
  // An amount-off coupon is its own cap; a maxOff beside it would be ignored or contradict it.
  if (maxOff !== undefined && amountOff !== undefined) {
    add(`${at}/maxOff`, 'only a "percentOff" coupon takes a cap', "invalid_combination");
  }
  const money: [string, unknown][] = [
    ["amountOff", amountOff],
    ["maxOff", maxOff],
    ["conditions/minAmount", cond.minAmount],
  ];
  let currency: [string, string] | null = null;
  for (const [field, m] of money) {
    if (!isObj(m)) continue;
    if (m.amount === 0) add(`${at}/${field}/amount`, "must be greater than 0", "invalid_value");
    if (!isStr(m.currency)) continue;
    if (currency === null) currency = [field, m.currency];
    else if (m.currency !== currency[1]) {
      const msg = `currency ${q(m.currency)} differs from ${currency[0]}'s ${q(currency[1])}`;
      add(`${at}/${field}/currency`, msg, "currency_mismatch");
    }
  }
  if (cond.minQuantity !== undefined && !isPositiveInteger(cond.minQuantity)) {
    add(`${at}/conditions/minQuantity`, "must be a whole number of at least 1", "invalid_value");
  }
  if (cond.validDays !== undefined && !isPositiveInteger(cond.validDays)) {
    add(`${at}/conditions/validDays`, "must be a whole number of days, at least 1", "invalid_value");
  }
  const times: number[] = [];
  for (const field of ["validFrom", "validUntil"] as const) {
    const v = cond[field];
    // A malformed date-time was reported by the schema already.
    if (!isStr(v) || !DATE_TIME_RE.test(v)) continue;
    if (isRealDateTime(v)) times.push(Date.parse(v));
    else add(`${at}/conditions/${field}`, "is not a real date and time", "invalid_date");
  }
  if (times.length === 2 && times[0] >= times[1]) {
    add(`${at}/conditions/validUntil`, 'must be later than "validFrom"', "invalid_window");
  }
  if (isStr(cond.minTier) && codeRe.test(cond.minTier) && !tiers.has(cond.minTier)) {
    add(`${at}/conditions/minTier`, `unknown tier ${q(cond.minTier)}`, "unknown_tier");
  }
  const scope = isObj(cond.scope) ? cond.scope : {};
  checkScope(scope, `${at}/conditions/scope`, add);
  if (cond.channels !== undefined && scope.channels !== undefined) {
    const msg = 'give the channels once, here or in "scope.channels"';
    add(`${at}/conditions/channels`, msg, "invalid_combination");
  }
  // conditions.channels is an allow-list like scope.channels: it must not also be excluded.
  checkScope(
    { channels: cond.channels, excludeChannels: scope.excludeChannels },
    `${at}/conditions/scope`,
    add,
  );

  const limits = isObj(c.limits) ? c.limits : {};
  for (const field of ["perMember", "total"] as const) {
    const v = limits[field];
    if (v !== undefined && !isPositiveInteger(v)) {
      add(
        `${at}/limits/${field}`,
        "must be a whole number of at least 1; omit it for no limit",
        "invalid_value",
      );
    }
  }
  if (isPositiveInteger(limits.perMember) && isPositiveInteger(limits.total)) {
    if ((limits.perMember as number) > (limits.total as number)) {
      add(`${at}/limits/perMember`, `must not exceed "total" (${limits.total})`, "invalid_limits");
    }
  }
}

/** Reports values both allowed and excluded; `at` is the object holding the scope fields. */
function checkScope(scope: Obj, at: string, add: Add): void {
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

function isPositiveDuration(s: string): boolean {
  return isValidIsoDuration(s) && durationToMillisApprox(s) > 0;
}

const SCOPE_PAIRS = [
  ["categories", "excludeCategories"],
  ["products", "excludeProducts"],
  ["channels", "excludeChannels"],
] as const;

function checkBenefit(b: Obj, at: string, add: Add): void {
  const kind = b.kind;
  const rules = isObj(b.rules) ? b.rules : {};
  const delay = isObj(rules.effective) ? rules.effective.delay : undefined;
  if (isStr(delay) && delay !== "immediate" && delay !== "next_day" && !isValidIsoDuration(delay)) {
    const msg = 'must be "immediate", "next_day" or an ISO-8601 duration such as PT24H';
    add(`${at}/rules/effective/delay`, msg, "invalid_duration");
  }
  const mcv = rules.minClientVersion;
  const versions: [string, unknown][] = isStr(mcv) ? [["", mcv]] : isObj(mcv) ? Object.entries(mcv) : [];
  for (const [platform, v] of versions) {
    if (isStr(v) && semver.valid(v) === null) {
      const path = `${at}/rules/minClientVersion${platform ? `/${platform}` : ""}`;
      add(path, `${q(v)} is not a semantic version such as "5.2.0"`, "invalid_semver");
    }
  }
  checkScope(isObj(rules.scope) ? rules.scope : {}, `${at}/rules/scope`, add);

  const knownKind = (BENEFIT_KINDS as readonly unknown[]).includes(kind);
  const needs = (field: string, forKind: string) => {
    if (kind === forKind && b[field] === undefined) {
      add(`${at}/${field}`, `a ${forKind} benefit needs ${q(field)}`, "kind_mismatch");
    } else if (kind !== forKind && knownKind && b[field] !== undefined) {
      add(`${at}/${field}`, `only ${forKind} benefits take ${q(field)}, not ${kind}`, "kind_mismatch");
    }
  };
  needs("quota", "quota");
  needs("discount", "discount");
  needs("resources", "access");
  needs("couponPack", "coupon_pack");
  if (kind === "access" && Array.isArray(b.resources) && b.resources.length === 0) {
    add(`${at}/resources`, "an access benefit needs at least one resource", "kind_mismatch");
  }

  const quota = isObj(b.quota) ? b.quota : {};
  if (isStr(quota.period) && !isPositiveDuration(quota.period)) {
    const msg = "must be an ISO-8601 duration longer than zero, e.g. P1D, or null for no reset";
    add(`${at}/quota/period`, msg, "invalid_duration");
  }

  if (!isObj(b.discount)) return;
  const { percentOff, amountOff, maxOff } = b.discount;
  if (kind === "discount" && (percentOff === undefined) === (amountOff === undefined)) {
    add(`${at}/discount`, 'needs exactly one of "percentOff" and "amountOff"', "kind_mismatch");
  }
  if (typeof percentOff === "number" && !(percentOff > 0 && percentOff <= 100)) {
    add(`${at}/discount/percentOff`, "must be greater than 0 and at most 100", "invalid_value");
  }
  if (isObj(amountOff) && amountOff.amount === 0) {
    add(`${at}/discount/amountOff/amount`, "must be greater than 0", "invalid_value");
  }
  if (isObj(amountOff) && isObj(maxOff) && isStr(amountOff.currency) && isStr(maxOff.currency)) {
    if (amountOff.currency !== maxOff.currency) {
      const msg = `currency ${q(maxOff.currency)} differs from amountOff's ${q(amountOff.currency)}`;
      add(`${at}/discount/maxOff/currency`, msg, "currency_mismatch");
    }
  }
}
