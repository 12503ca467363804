/** The kinds of drift between paid orders, payment events, memberships, grants and the version. */
export const DRIFT_KINDS = [
  "paid_without_membership",
  "payment_event_not_applied",
  "membership_without_grants",
  "grant_missing",
  "grant_after_refund",
  "version_not_bumped",
] as const;

export type DriftKind = (typeof DRIFT_KINDS)[number];

/** One piece of drift: what, whose, and the rows involved. */
export interface Finding {
  kind: DriftKind;
  memberId: string;
  membershipId: string | null;
  orderId: string | null;
  /** grant_missing: the missing benefits; grant_after_refund: the grants; payment_event_not_applied: the webhook ids. */
  ids: string[] | null;
}

/** Findings of the same drift on the same rows have the same key (a scan and the re-check under the lock). */
export function findingKey(f: Finding): string {
  return `${f.kind}|${f.memberId}|${f.membershipId ?? ""}|${f.orderId ?? ""}`;
}

/** The ids of a finding as timeline data (only those it has). */
export function findingData(f: Finding): Record<string, unknown> {
  const data: Record<string, unknown> = { drift: f.kind };
  if (f.membershipId) data.membershipId = f.membershipId;
  if (f.orderId) data.orderId = f.orderId;
  if (f.ids) {
    const name =
      f.kind === "grant_missing" ? "benefits" : f.kind === "grant_after_refund" ? "grantIds" : "webhookIds";
    data[name] = f.ids;
  }
  return data;
}
