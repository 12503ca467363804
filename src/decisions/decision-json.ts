import type { Decision, Reason } from "../engine/engine-types.js";

/**
 * Decisions as UTF-8 JSON, byte-for-byte what JSON.stringify would produce, assembled from cached
 * encoded fragments: the engine shares its reasons and grants as frozen objects, so most of a
 * response is copied from bytes encoded once. Serializing and encoding mostly-Chinese text, not
 * deciding, was most of a batch's cost.
 */
const encoded = new WeakMap<object, Buffer>();

const text = (s: string) => Buffer.from(s);
const COMMA = text(",");
const NULL = text("null");
const REASONS_END_GRANT = text('],"grant":');
const VERSION = text(',"entitlementsVersion":');
const OBJECT_END = text("}");
const BATCH_START = text('{"results":[');
const BATCH_END = text("]}");

/** Small caches for the strings that vary per decision; bounded because their keys come from callers. */
const CACHE_LIMIT = 10_000;
const heads = new Map<string, Buffer>();
const versions = new Map<number, Buffer>();

function cached<K>(cache: Map<K, Buffer>, key: K, make: () => string): Buffer {
  let bytes = cache.get(key);
  if (bytes === undefined) {
    bytes = text(make());
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, bytes);
  }
  return bytes;
}

/** The JSON of a value; cached when the value is frozen (immutable). */
function fragment(value: object, json: () => string = () => JSON.stringify(value)): Buffer {
  if (!Object.isFrozen(value)) return text(json());
  let bytes = encoded.get(value);
  if (bytes === undefined) {
    bytes = text(json());
    encoded.set(value, bytes);
  }
  return bytes;
}

function reasonJson(r: Reason): string {
  // code and cause come from closed lists of plain identifiers: no escaping needed.
  const cause = r.cause === null ? "null" : `"${r.cause}"`;
  return `{"code":"${r.code}","cause":${cause},"message":${JSON.stringify(r.message)},"details":${JSON.stringify(r.details)},"remedy":${JSON.stringify(r.remedy)}}`;
}

function pushDecision(parts: Buffer[], d: Decision): void {
  parts.push(
    cached(
      heads,
      `${d.memberId}\u0000${d.benefit}\u0000${d.allowed}`,
      () =>
        `{"memberId":${JSON.stringify(d.memberId)},"benefit":${JSON.stringify(d.benefit)},"allowed":${d.allowed},"reasons":[`,
    ),
  );
  for (let i = 0; i < d.reasons.length; i++) {
    if (i > 0) parts.push(COMMA);
    const reason = d.reasons[i];
    parts.push(fragment(reason, () => reasonJson(reason)));
  }
  parts.push(REASONS_END_GRANT, d.grant === null ? NULL : fragment(d.grant), VERSION);
  parts.push(
    cached(versions, d.entitlementsVersion, () => String(d.entitlementsVersion)),
    OBJECT_END,
  );
}

/** One decision as UTF-8 JSON. */
export function decisionJson(decision: Decision): Buffer {
  const parts: Buffer[] = [];
  pushDecision(parts, decision);
  return Buffer.concat(parts);
}

/** `{"results": [decision, …]}` as UTF-8 JSON. */
export function batchJson(decisions: Decision[]): Buffer {
  const parts: Buffer[] = [BATCH_START];
  for (let i = 0; i < decisions.length; i++) {
    if (i > 0) parts.push(COMMA);
    pushDecision(parts, decisions[i]);
  }
  parts.push(BATCH_END);
  return Buffer.concat(parts);
}
