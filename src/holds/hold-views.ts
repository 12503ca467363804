import type { HoldEvent, HoldRecord } from "./hold-types.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A hold as admins and support see it: with the evidence and who placed and cleared it. */
export function holdView(h: HoldRecord) {
  return {
    holdId: h.id,
    memberId: h.memberId,
    reason: h.reason,
    benefits: h.benefits,
    status: h.status,
    clearMethod: h.clearMethod,
    note: h.note,
    placedBy: h.placedBy,
    placedAt: h.placedAt.toISOString(),
    clearedBy: h.clearedBy,
    clearedAt: iso(h.clearedAt),
    clearNote: h.clearNote,
    details: h.details,
  };
}

/**
 * A hold as its member sees it. No evidence and no notes: a shared-device hold's evidence names
 * other members, and an agent's note is written for agents.
 */
export function memberHoldView(h: HoldRecord) {
  return {
    holdId: h.id,
    reason: h.reason,
    benefits: h.benefits,
    status: h.status,
    clearMethod: h.clearMethod,
    placedAt: h.placedAt.toISOString(),
    clearedAt: iso(h.clearedAt),
  };
}

export function holdEventView(e: HoldEvent) {
  return { kind: e.kind, actor: e.actor, at: e.at.toISOString(), data: e.data };
}
