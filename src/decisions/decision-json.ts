import type { Decision, Reason } from "../engine/engine-types.js";

/** JSON of immutable fragments (frozen reasons, grants, details, remedies), computed once each. */
const fragments = new WeakMap<object, string>();

function fragmentJson(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

function reasonJson(reason: Reason): string {
  if (Object.isFrozen(reason)) return fragmentJson(reason);
  // code and cause come from closed lists of plain identifiers: no escaping needed.
  const cause = reason.cause === null ? "null" : `"${reason.cause}"`;
  return `{"code":"${reason.code}","cause":${cause},"message":${JSON.stringify(reason.message)},"details":${fragmentJson(reason.details)},"remedy":${fragmentJson(reason.remedy)}}`;
}

function pushDecision(parts: string[], d: Decision): void {
  parts.push(
    `{"memberId":${JSON.stringify(d.memberId)},"benefit":${JSON.stringify(d.benefit)},"allowed":${d.allowed},"reasons":[`,
  );
  for (let i = 0; i < d.reasons.length; i++) {
    if (i > 0) parts.push(",");
    parts.push(reasonJson(d.reasons[i]));
  }
  parts.push(
    `],"grant":`,
    d.grant === null ? "null" : fragmentJson(d.grant),
    `,"entitlementsVersion":${d.entitlementsVersion}}`,
  );
}

/**
 * Decisions as UTF-8 JSON, byte-for-byte what JSON.stringify would produce, but reusing the JSON of
 * the engine's shared frozen fragments: serializing and encoding mostly-Chinese text, not deciding,
 * is most of a batch's cost. Parts are joined once (a flat string encodes faster than a long chain
 * of concatenations) and encoded once (a string body would be encoded twice: length, then write).
 */
export function decisionJson(decision: Decision): Buffer {
  const parts: string[] = [];
  pushDecision(parts, decision);
  return Buffer.from(parts.join(""));
}

/** `{"results": [decision, …]}` as UTF-8 JSON. */
export function batchJson(decisions: Decision[]): Buffer {
  const parts: string[] = ['{"results":['];
  for (let i = 0; i < decisions.length; i++) {
    if (i > 0) parts.push(",");
    pushDecision(parts, decisions[i]);
  }
  parts.push("]}");
  return Buffer.from(parts.join(""));
}
