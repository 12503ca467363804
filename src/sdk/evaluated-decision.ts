import type { Decision } from "./client.js";

/** fresh: the local copy is known current; stale: it may be out of date (see staleAfterMs). */
export type Freshness = "fresh" | "stale";
/** Who answered: the local engine, the server's /v1/check, or the configured default. */
export type DecisionSource = "local" | "server" | "default";
/** Why a decision did not come from a fresh local copy. */
export type FallbackCode =
  | "STALE_SNAPSHOT"
  | "SERVER_UNREACHABLE"
  | "MEMBER_NOT_LOADED"
  | "CATALOG_NOT_LOADED";

export interface EvaluatedDecision extends Decision {
  freshness: Freshness;
  source: DecisionSource;
  /** Set when the answer is not a fresh local one: what happened, in words. */
  fallback?: { code: FallbackCode; message: string };
}

const FALLBACK_MESSAGES: Record<FallbackCode, (staleAfterMs: number) => string> = {
  STALE_SNAPSHOT: (ms) => `The local copy is stale (the event stream has been down over ${ms} ms)`,
  SERVER_UNREACHABLE: () => "The Perkwise server could not be reached",
  MEMBER_NOT_LOADED: () => "The member's snapshot is not loaded yet (it is being fetched)",
  CATALOG_NOT_LOADED: () => "The catalog is not loaded yet",
};

export const fallbackMessage = (code: FallbackCode, staleAfterMs: number) =>
  FALLBACK_MESSAGES[code](staleAfterMs);

/** The answer when neither a fresh copy nor the server is at hand: the configured default, and why. */
export function defaultDecision(
  memberId: string,
  benefit: string,
  allowed: boolean,
  entitlementsVersion: number,
  code: FallbackCode,
  staleAfterMs: number,
): EvaluatedDecision {
  return {
    memberId,
    benefit,
    allowed,
    reasons: [],
    grant: null,
    entitlementsVersion,
    freshness: "stale",
    source: "default",
    fallback: {
      code,
      message: `${fallbackMessage(code, staleAfterMs)}: the configured default (${allowed ? "allow" : "deny"}) applies.`,
    },
  };
}
