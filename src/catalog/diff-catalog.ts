/** What changed between two catalog documents, entity by entity and field by field. */
import type { CatalogDocument } from "./catalog-types.js";

/**
 * One changed field. Scalars and objects carry `before`/`after` (absent when the field was absent);
 * lists of ids (a tier's `benefits`, scope lists, `resources`) carry the `added` and `removed` members.
 */
export interface FieldChange {
  /** Dotted path inside the entity, e.g. `rules.scope.categories`, `plans.vip_month.price.amount`. */
  path: string;
  before?: unknown;
  after?: unknown;
  added?: string[];
  removed?: string[];
}

export interface EntityDiff {
  code: string;
  change: "added" | "removed" | "changed";
  /** Only for `changed`. */
  fields?: FieldChange[];
}

export interface CatalogDiff {
  tiers: EntityDiff[];
  benefits: EntityDiff[];
  /**
   * Coupon templates, keyed by code like benefits. Absent when no coupon changed, so diffs stored
   * before coupons existed and diffs of coupon-free catalogs keep their shape.
   */
  coupons?: EntityDiff[];
}

/** Diffs two documents (`before` null for the first version); entities match by code, unchanged ones are omitted. */
export function diffCatalogs(before: CatalogDocument | null, after: CatalogDocument): CatalogDiff {
  const diff: CatalogDiff = {
    tiers: diffEntities(before?.tiers ?? [], after.tiers),
    benefits: diffEntities(before?.benefits ?? [], after.benefits),
  };
  const coupons = diffEntities(before?.coupons ?? [], after.coupons ?? []);
  if (coupons.length > 0) diff.coupons = coupons;
  return diff;
}

/** True when the diff records no change at all. */
export function isEmptyDiff(diff: CatalogDiff): boolean {
  return diff.tiers.length === 0 && diff.benefits.length === 0 && (diff.coupons ?? []).length === 0;
}

interface Coded {
  code: string;
}

function diffEntities(before: readonly Coded[], after: readonly Coded[]): EntityDiff[] {
  const old = new Map(before.map((e) => [e.code, e]));
  const out: EntityDiff[] = [];
  for (const entity of after) {
    const previous = old.get(entity.code);
    if (!previous) {
      out.push({ code: entity.code, change: "added" });
      continue;
    }
    const fields: FieldChange[] = [];
    diffValue("", previous, entity, fields);
    if (fields.length > 0) out.push({ code: entity.code, change: "changed", fields });
  }
  const current = new Set(after.map((e) => e.code));
  for (const entity of before) {
    if (!current.has(entity.code)) out.push({ code: entity.code, change: "removed" });
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isCodedList = (v: unknown): v is Coded[] =>
  Array.isArray(v) && v.every((x) => isObj(x) && typeof x.code === "string");
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function diffValue(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  // A missing object is compared as an empty one, so added rules show up leaf by leaf
  // (`rules.effective.delay`), which is what a RULE_CHANGED reason cites.
  if (
    (isObj(a) || a === undefined) &&
    (isObj(b) || b === undefined) &&
    (a !== undefined || b !== undefined)
  ) {
    const x = a ?? {};
    const y = b ?? {};
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)]))
      diffValue(join(path, key), x[key], y[key], out);
    return;
  }
  // Lists of codes or ids are sets: order is not meaningful, members are.
  if ((isStringList(a) || a === undefined) && (isStringList(b) || b === undefined)) {
    const x = new Set(a ?? []);
    const y = new Set(b ?? []);
    const added = [...y].filter((v) => !x.has(v));
    const removed = [...x].filter((v) => !y.has(v));
    if (added.length > 0 || removed.length > 0) out.push({ path, added, removed });
    return;
  }
  // Lists of entities with a code (a tier's plans) are keyed by code: `plans.vip_month.price.amount`.
  if (isCodedList(a) && isCodedList(b)) {
    const x = new Map(a.map((e) => [e.code, e]));
    const y = new Map(b.map((e) => [e.code, e]));
    for (const [code, entity] of y) {
      const previous = x.get(code);
      if (previous) diffValue(join(path, code), previous, entity, out);
      else out.push({ path: join(path, code), after: entity });
    }
    for (const [code, entity] of x) if (!y.has(code)) out.push({ path: join(path, code), before: entity });
    return;
  }
  if (deepEqual(a, b)) return;
  const change: FieldChange = { path };
  if (a !== undefined) change.before = a;
  if (b !== undefined) change.after = b;
  out.push(change);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObj(a) && isObj(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
