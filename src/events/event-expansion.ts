/** An outbox row as the sequencer reads it. */
export interface OutboxRow {
  id: number;
  memberId: string | null;
  type: string;
  payload: Record<string, unknown>;
}

/** One event of the log before it is numbered: what a stream frame and a webhook carry. */
export interface PendingEvent {
  outboxId: number;
  memberId: string | null;
  type: string;
  /** One-line JSON: the frame's `data:` line and the webhook's `data`. */
  data: string;
}

export const ENTITLEMENTS_CHANGED = "entitlements.changed";
export const CATALOG_CHANGED = "catalog.changed";

/**
 * Outbox types that are for the platform's back end only, never for a member's own stream: a
 * verification code in clear (the member must prove they received it by SMS or e-mail, not read it
 * from the API), and support escalations.
 */
export const PLATFORM_ONLY_TYPES: ReadonlySet<string> = new Set([
  "verification.code_requested",
  "support.payment_overdue",
]);

/**
 * The events of one outbox row (the wire format is in docs/events.md). A row of its own type
 * gives `{memberId, ...payload}`; a row that carries `entitlementsVersion` also gives an
 * `entitlements.changed {memberId, entitlementsVersion, cause}` after it, where the cause is the
 * row's type. Rows written as `entitlements.changed` (every member write) give that one event,
 * their cause and extra fields kept.
 */
export function expandOutboxRow(row: OutboxRow): PendingEvent[] {
  const { payload } = row;
  const base = row.memberId === null ? { ...payload } : { memberId: row.memberId, ...payload };
  const event = (type: string, data: Record<string, unknown>): PendingEvent => ({
    outboxId: row.id,
    memberId: row.memberId,
    type,
    data: JSON.stringify(data),
  });
  if (row.type === ENTITLEMENTS_CHANGED) return [event(ENTITLEMENTS_CHANGED, { cause: row.type, ...base })];
  const version = payload.entitlementsVersion;
  if (row.memberId === null || typeof version !== "number") return [event(row.type, base)];
  return [
    event(row.type, base),
    event(ENTITLEMENTS_CHANGED, { memberId: row.memberId, entitlementsVersion: version, cause: row.type }),
  ];
}
