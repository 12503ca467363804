/**
 * A member snapshot as JSON (times as ISO strings) and back: the server serves it at
 * `GET /v1/members/{id}/snapshot`, and the SDK's local evaluator decides with it as the server would.
 */
import type {
  ClientSessionView,
  GrantView,
  HoldView,
  MemberSnapshot,
  MembershipView,
  PendingOrderView,
} from "./engine-types.js";
import { indexGrantsByBenefit } from "./engine-types.js";

type Iso<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? string | null : string };

export type MembershipWire = Iso<MembershipView, "startsAt" | "expiresAt" | "revokedAt" | "graceEndsAt">;
export type GrantWire = Iso<
  GrantView,
  "effectiveFrom" | "expiresAt" | "claimedAt" | "quotaResetsAt" | "rulesUntil"
>;
export type PendingOrderWire = Iso<PendingOrderView, "createdAt">;
export type HoldWire = Iso<HoldView, "placedAt">;
export type ClientSessionWire = Iso<ClientSessionView, "reportedAt">;

export interface MemberSnapshotWire {
  memberId: string;
  exists: boolean;
  locale: MemberSnapshot["locale"];
  timezone: string;
  entitlementsVersion: number;
  memberships: MembershipWire[];
  grants: GrantWire[];
  pendingOrders: PendingOrderWire[];
  holds: HoldWire[];
  latestSession: ClientSessionWire | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const ms = (value: string) => Date.parse(value);
const msOrNull = (value: string | null) => (value === null ? null : Date.parse(value));

/** The snapshot as JSON-ready data. */
export function snapshotToWire(s: MemberSnapshot): MemberSnapshotWire {
  return {
    memberId: s.memberId,
    exists: s.exists,
    locale: s.locale,
    timezone: s.timezone,
    entitlementsVersion: s.entitlementsVersion,
    memberships: s.memberships.map((m) => ({
      ...m,
      startsAt: iso(m.startsAt),
      expiresAt: iso(m.expiresAt),
      revokedAt: isoOrNull(m.revokedAt),
      graceEndsAt: isoOrNull(m.graceEndsAt),
    })),
    grants: s.grants.map((g) => ({
      ...g,
      effectiveFrom: iso(g.effectiveFrom),
      expiresAt: iso(g.expiresAt),
      claimedAt: isoOrNull(g.claimedAt),
      quotaResetsAt: isoOrNull(g.quotaResetsAt),
      rulesUntil: isoOrNull(g.rulesUntil),
    })),
    pendingOrders: s.pendingOrders.map((o) => ({ ...o, createdAt: iso(o.createdAt) })),
    holds: s.holds.map((h) => ({ ...h, placedAt: iso(h.placedAt) })),
    latestSession:
      s.latestSession === null ? null : { ...s.latestSession, reportedAt: iso(s.latestSession.reportedAt) },
  };
}

/** The engine's snapshot of served JSON, with its grants indexed by benefit. */
export function snapshotFromWire(w: MemberSnapshotWire): MemberSnapshot {
  const grants: GrantView[] = w.grants.map((g) => ({
    ...g,
    effectiveFrom: ms(g.effectiveFrom),
    expiresAt: ms(g.expiresAt),
    claimedAt: msOrNull(g.claimedAt),
    quotaResetsAt: msOrNull(g.quotaResetsAt),
    rulesUntil: msOrNull(g.rulesUntil),
  }));
  return {
    memberId: w.memberId,
    exists: w.exists,
    locale: w.locale,
    timezone: w.timezone,
    entitlementsVersion: w.entitlementsVersion,
    memberships: w.memberships.map((m) => ({
      ...m,
      startsAt: ms(m.startsAt),
      expiresAt: ms(m.expiresAt),
      revokedAt: msOrNull(m.revokedAt),
      graceEndsAt: msOrNull(m.graceEndsAt),
    })),
    grants,
    grantsByBenefit: indexGrantsByBenefit(grants),
    pendingOrders: w.pendingOrders.map((o) => ({ ...o, createdAt: ms(o.createdAt) })),
    holds: w.holds.map((h) => ({ ...h, placedAt: ms(h.placedAt) })),
    latestSession:
      w.latestSession === null ? null : { ...w.latestSession, reportedAt: ms(w.latestSession.reportedAt) },
  };
}
