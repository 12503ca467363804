/** Validates a catalog document, listing every structural and semantic problem at once. */
import type { Static, TSchema } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import semver from "semver";
import type { ErrorDetail } from "../errors.js";
import { isValidIsoDuration } from "../time/durations.js";
import {
  CatalogDocumentSchema,
  type CatalogDocumentStatic,
  CatalogPutBodySchema,
  type CatalogPutMetaSchema,
  LIMITS,
  PATTERN_HINTS,
} from "./catalog-schema.js";
import { BENEFIT_KINDS, type CatalogDocument } from "./catalog-types.js";
import { checkCoupons } from "./validate-coupons.js";
import {
  type Add,
  type CatalogProblemCode,
  checkScope,
  codeRe,
  DATE_TIME_RE,
  isObj,
  isPositiveDuration,
  isRealDateTime,
  isStr,
  items,
  type Obj,
  q,
} from "./validation-kit.js";

/** A problem found in a catalog; `code` is a short machine tag such as `unknown_benefit`. */
export interface CatalogProblem extends ErrorDetail {
  code: CatalogProblemCode;
}

export type ValidateCatalogResult =
  | { ok: true; document: CatalogDocument }
  | { ok: false; problems: CatalogProblem[] };

/** Beyond this many problems the rest are summarized: enough to fix a document, bounded for the server. */
export const MAX_PROBLEMS = 100;

/** Validates a catalog document: `{ok: true, document}` or every problem found. */
export function validateCatalog(input: unknown): ValidateCatalogResult {
  return validate(input, CatalogDocumentSchema);
}

export type CatalogPutMeta = Static<typeof CatalogPutMetaSchema>;

/**
 * Validates the body of `PUT /v1/catalog`, the document and its metadata (`notice`, `effectiveFrom`,
 * `policy`, `confirm`) together, so every problem of either is listed in one answer.
 */
export function validateCatalogPut(
  input: unknown,
): { ok: true; document: CatalogDocument; meta: CatalogPutMeta } | { ok: false; problems: CatalogProblem[] } {
  const result = validate(input, CatalogPutBodySchema);
  const dateProblem = effectiveFromProblem(input);
  if (!result.ok) return dateProblem ? { ok: false, problems: [...result.problems, dateProblem] } : result;
  if (dateProblem) return { ok: false, problems: [dateProblem] };
  const { notice, effectiveFrom, policy, confirm, ...document } = result.document as CatalogDocument &
    CatalogPutMeta;
  return { ok: true, document, meta: { notice, effectiveFrom, policy, confirm } };
}

/** A well-formed `effectiveFrom` naming a day that does not exist (2026-02-30, month 13); null when fine. */
function effectiveFromProblem(input: unknown): CatalogProblem | null {
  const value = isObj(input) ? input.effectiveFrom : undefined;
  if (!isStr(value) || !DATE_TIME_RE.test(value)) return null;
  return isRealDateTime(value)
    ? null
    : { path: "/effectiveFrom", message: "is not a real date and time", code: "invalid_date" };
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

function describe(e: ValueError): { message: string; code: CatalogProblemCode } {
  const s = e.schema;
  const invalid = (message: string) => ({ message, code: "invalid_value" as const });
  const wrongType = (what: string) => ({ message: `must be ${what}`, code: "invalid_type" as const });
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

  checkCoupons(doc, tierCodes, benefits, add);
}

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
  if (quota.period === null && quota.anchor !== undefined) {
    add(`${at}/quota/anchor`, "a quota without a reset period has no anchor: remove it", "invalid_value");
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
