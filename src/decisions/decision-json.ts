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

/**
 * A decision as JSON, byte-for-byte what JSON.stringify would produce, but reusing the JSON of the
 * engine's shared frozen fragments: serialization, not deciding, is most of a batch's cost.
 */
export function decisionJson(decision: Decision): string {
  let reasons = "";
  for (let i = 0; i < decision.reasons.length; i++) {
    reasons += i === 0 ? reasonJson(decision.reasons[i]) : `,${reasonJson(decision.reasons[i])}`;
  }
  const grant = decision.grant === null ? "null" : fragmentJson(decision.grant);
  return `{"memberId":${JSON.stringify(decision.memberId)},"benefit":${JSON.stringify(decision.benefit)},"allowed":${decision.allowed},"reasons":[${reasons}],"grant":${grant},"entitlementsVersion":${decision.entitlementsVersion}}`;
}

/** `{"results": [decision, …]}` for a batch. */
export function batchJson(decisions: Decision[]): string {
  let results = "";
  for (let i = 0; i < decisions.length; i++) {
    results += i === 0 ? decisionJson(decisions[i]) : `,${decisionJson(decisions[i])}`;
  }
  return `{"results":[${results}]}`;
}
