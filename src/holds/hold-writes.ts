/**
 * Placing and clearing a hold inside a member write: the hold row, its audit trail, the timeline
 * entry and the entitlements version bump (with its outbox event) commit together. The caller has
 * locked the member row.
 */
import { newId } from "../ids.js";
import type { MemberWriteScope } from "../members/member-writes.js";
import type { TimelineSource } from "../timeline/timeline-types.js";
import { type ClearMethod, DEFAULT_CLEAR_METHOD, type HoldReason, type HoldRecord } from "./hold-types.js";

/** Who acts on a hold: the id kept in the audit trail, and the timeline source. */
export interface HoldActor {
  /** `rule:<reason>`, `admin`, `support:<key id>`, `member:<id>`, `payments:chargeback`. */
  id: string;
  source: TimelineSource;
}

export interface PlaceHoldInput {
  memberId: string;
  reason: HoldReason;
  /** null: every benefit. */
  benefits: string[] | null;
  clearMethod?: ClearMethod;
  note?: string | null;
  details?: Record<string, unknown>;
}

/** Places an open hold; null when the member already has an open hold of that reason (not manual). */
export async function placeHold(
  scope: MemberWriteScope,
  input: PlaceHoldInput,
  actor: HoldActor,
  now: number,
): Promise<HoldRecord | null> {
  const at = new Date(now);
  const hold = await scope.stores.holds.insert({
    id: newId("hold"),
    memberId: input.memberId,
    reason: input.reason,
    benefits: input.benefits,
    clearMethod: input.clearMethod ?? DEFAULT_CLEAR_METHOD[input.reason],
    note: input.note ?? null,
    placedBy: actor.id,
    placedAt: at,
    details: input.details ?? {},
  });
  if (hold === null) return null;
  await scope.stores.holds.appendEvents([
    {
      holdId: hold.id,
      memberId: hold.memberId,
      kind: "placed",
      actor: actor.id,
      at,
      data: { reason: hold.reason, benefits: hold.benefits, clearMethod: hold.clearMethod, note: hold.note },
    },
  ]);
  // The timeline is the member's to read too: no evidence (it may name other members), no note.
  const data = {
    holdId: hold.id,
    reason: hold.reason,
    benefits: hold.benefits,
    clearMethod: hold.clearMethod,
  };
  await scope.entitlementsChanged(
    hold.memberId,
    "hold.placed",
    { holdId: hold.id, reason: hold.reason },
    { source: actor.source, entries: [{ kind: "hold.placed", data }] },
  );
  return hold;
}

/** Clears an open hold and voids any code of its verification; null when it was not open. */
export async function clearHold(
  scope: MemberWriteScope,
  hold: HoldRecord,
  method: ClearMethod,
  note: string | null,
  actor: HoldActor,
  now: number,
): Promise<{ hold: HoldRecord; entitlementsVersion: number } | null> {
  const at = new Date(now);
  const cleared = await scope.stores.holds.clear({ id: hold.id, clearedBy: actor.id, clearedAt: at, note });
  if (cleared === null) return null;
  const verification = await scope.stores.verifications.get(hold.id);
  if (verification !== null && verification.codeHash !== null) {
    await scope.stores.verifications.save({ ...verification, codeHash: null, expiresAt: null });
  }
  await scope.stores.holds.appendEvents([
    {
      holdId: hold.id,
      memberId: hold.memberId,
      kind: "cleared",
      actor: actor.id,
      at,
      data: { method, note },
    },
  ]);
  const entitlementsVersion = await scope.entitlementsChanged(
    hold.memberId,
    "hold.cleared",
    { holdId: hold.id, reason: hold.reason },
    {
      source: actor.source,
      entries: [{ kind: "hold.cleared", data: { holdId: hold.id, reason: hold.reason, method } }],
    },
  );
  return { hold: cleared, entitlementsVersion };
}

/** The payment path, placing and clearing the holds of disputed payments. */
const CHARGEBACK_ACTOR: HoldActor = { id: "payments:chargeback", source: "payment_provider" };

/**
 * A `chargeback` hold on every benefit, cleared by an agent: for the payment path to call in its
 * own member write when a payment is disputed. null when the member has one open already.
 */
export function placeChargebackHold(
  scope: MemberWriteScope,
  memberId: string,
  evidence: { orderId: string; [key: string]: unknown },
  now: number,
): Promise<HoldRecord | null> {
  return placeHold(
    scope,
    { memberId, reason: "chargeback", benefits: null, details: { rule: "chargeback", ...evidence } },
    CHARGEBACK_ACTOR,
    now,
  );
}

/**
 * Clears the member's open `chargeback` hold placed for this order's dispute (the payment path, when
 * the dispute is closed); a chargeback hold an agent placed, or one for another order's dispute,
 * stays. null when there is none to clear.
 */
export async function clearChargebackHold(
  scope: MemberWriteScope,
  memberId: string,
  orderId: string,
  outcome: "won" | "lost",
  now: number,
): Promise<{ hold: HoldRecord; entitlementsVersion: number } | null> {
  const open = (await scope.stores.holds.listForMember(memberId)).find(
    (h) =>
      h.status === "open" &&
      h.reason === "chargeback" &&
      h.placedBy === CHARGEBACK_ACTOR.id &&
      h.details.orderId === orderId,
  );
  if (!open) return null;
  return clearHold(scope, open, "agent", `dispute ${outcome}`, CHARGEBACK_ACTOR, now);
}
