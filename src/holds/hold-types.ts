/** Risk holds as the rest of the code sees them. */

export const HOLD_REASONS = [
  "shared_device",
  "unusual_location",
  "unofficial_channel",
  "chargeback",
  "manual",
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** How a hold ends: the member verifies their identity (one-time code), or an agent decides. */
export const CLEAR_METHODS = ["verify_identity", "agent"] as const;
export type ClearMethod = (typeof CLEAR_METHODS)[number];

export type HoldStatus = "open" | "cleared";

/** How each reason is cleared unless whoever places the hold says otherwise. */
export const DEFAULT_CLEAR_METHOD: Record<HoldReason, ClearMethod> = {
  // The owner proving it is them is the answer to "someone else may be using this account".
  shared_device: "verify_identity",
  unusual_location: "verify_identity",
  unofficial_channel: "verify_identity",
  // A disputed payment is settled by people, not by a code.
  chargeback: "agent",
  manual: "agent",
};

export interface HoldRecord {
  id: string;
  memberId: string;
  reason: HoldReason;
  /** null: every benefit. */
  benefits: string[] | null;
  status: HoldStatus;
  clearMethod: ClearMethod;
  note: string | null;
  /** `rule:<reason>`, `admin`, `support:<key id>`, `payments:chargeback`, … */
  placedBy: string;
  placedAt: Date;
  clearedBy: string | null;
  clearedAt: Date | null;
  clearNote: string | null;
  /** The evidence: which rule, which devices, members, locations or channel. */
  details: Record<string, unknown>;
}

export interface NewHold {
  id: string;
  memberId: string;
  reason: HoldReason;
  benefits: string[] | null;
  clearMethod: ClearMethod;
  note: string | null;
  placedBy: string;
  placedAt: Date;
  details: Record<string, unknown>;
}

/** One step of a hold's audit trail. */
export interface HoldEvent {
  holdId: string;
  memberId: string;
  /** placed, code_sent, code_failed, code_expired, locked_out, cleared */
  kind: string;
  actor: string;
  at: Date;
  data: Record<string, unknown>;
}
