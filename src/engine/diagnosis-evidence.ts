/** Which records each finding rests on: pure selection from the evidence bundle, by the reason's details. */
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type {
  EvidenceBundle,
  EvidenceItem,
  GrantEvidence,
  MembershipEvidence,
  OrderEvidence,
  PaymentEventEvidence,
  SessionEvidence,
  TimelineEvidence,
} from "./diagnosis-types.js";
import type { ClientContext, HoldView, Reason } from "./engine-types.js";
import { isoTime } from "./time-format.js";

const iso = (ms: number | null) => (ms === null ? null : isoTime(ms));

export function orderItem(o: OrderEvidence): EvidenceItem {
  return {
    type: "order",
    id: o.id,
    at: iso(o.createdAt),
    data: {
      plan: o.plan,
      tier: o.tier,
      status: o.status,
      amount: { amount: o.amount, currency: o.currency },
      channel: o.channel,
      membershipId: o.membershipId,
      paidAt: iso(o.paidAt),
      refundedAt: iso(o.refundedAt),
    },
  };
}

export function paymentItem(p: PaymentEventEvidence): EvidenceItem {
  return {
    type: "payment_event",
    id: p.webhookId,
    at: iso(p.receivedAt),
    data: {
      orderId: p.orderId,
      type: p.type,
      outcome: p.outcome,
      amount: p.amount,
      ...(p.provider !== undefined && { provider: p.provider }),
      ...(p.notification != null && { notification: p.notification }),
    },
  };
}

export function membershipItem(m: MembershipEvidence): EvidenceItem {
  return {
    type: "membership",
    id: m.id,
    at: iso(m.startsAt),
    data: {
      tier: m.tier,
      status: m.status,
      startsAt: iso(m.startsAt),
      expiresAt: iso(m.expiresAt),
      graceEndsAt: iso(m.graceEndsAt),
      endedAt: iso(m.endedAt),
      sourceOrderId: m.sourceOrderId,
    },
  };
}

export function grantItem(g: GrantEvidence): EvidenceItem {
  return {
    type: "grant",
    id: g.id,
    at: iso(g.effectiveFrom),
    data: {
      benefit: g.benefit,
      tier: g.tier,
      membershipId: g.membershipId,
      status: g.status,
      effectiveFrom: iso(g.effectiveFrom),
      expiresAt: iso(g.expiresAt),
      catalogVersion: g.catalogVersion,
      claimedAt: iso(g.claimedAt),
      toggledOn: g.toggledOn,
      endedAt: iso(g.endedAt),
      endReason: g.endReason,
    },
  };
}

function sessionItem(s: SessionEvidence): EvidenceItem {
  return {
    type: "session",
    id: s.id,
    at: iso(s.reportedAt),
    data: { platform: s.platform, version: s.version, entitlementsVersion: s.entitlementsVersion },
  };
}

function timelineItem(t: TimelineEvidence): EvidenceItem {
  return { type: "timeline", id: t.id, at: iso(t.at), data: { kind: t.kind, source: t.source, ...t.data } };
}

function catalogVersionItem(catalog: CompiledCatalog, version: number): EvidenceItem | null {
  const compiled = version === catalog.version ? catalog : catalog.history?.previous.get(version);
  if (!compiled) return null;
  return { type: "catalog_version", id: String(version), at: iso(compiled.createdAt), data: { version } };
}

export interface EvidenceInput {
  bundle: EvidenceBundle;
  catalog: CompiledCatalog;
  benefit: string;
  /** The grant the decision considered, if any. */
  grantId: string | null;
  /** The client the decision judged, and whether it came from the latest session. */
  client: ClientContext | undefined;
  clientFromSession: boolean;
  holds: readonly HoldView[];
}

/** The evidence of one reason, newest last; never throws on records that are not there. */
export function evidenceFor(reason: Reason, input: EvidenceInput): EvidenceItem[] {
  const { bundle } = input;
  const d = reason.details;
  const items: EvidenceItem[] = [];
  const addOrder = (orderId: unknown) => {
    const order = bundle.orders.find((o) => o.id === orderId);
    if (order) items.push(orderItem(order));
    for (const p of bundle.paymentEvents) if (p.orderId === orderId) items.push(paymentItem(p));
  };
  const addTimeline = (match: (t: TimelineEvidence) => boolean, limit = 5) => {
    for (const t of bundle.timeline.filter(match).slice(-limit)) items.push(timelineItem(t));
  };
  const addMembership = (m: MembershipEvidence | undefined) => {
    if (!m) return;
    items.push(membershipItem(m));
    addOrder(m.sourceOrderId);
    addTimeline((t) => t.data.membershipId === m.id && t.kind.startsWith("membership."));
  };
  const addGrant = () => {
    const grant = bundle.grants.find((g) => g.id === input.grantId);
    if (!grant) return;
    items.push(grantItem(grant));
    const version = catalogVersionItem(input.catalog, grant.catalogVersion);
    if (version) items.push(version);
    addTimeline((t) => t.data.benefit === input.benefit);
  };
  const addClient = () => {
    const session = bundle.sessions[0];
    if (input.clientFromSession && session) items.push(sessionItem(session));
    else if (input.client) items.push({ type: "context", id: "client", at: null, data: { ...input.client } });
  };

  switch (reason.code) {
    case "PAYMENT_PENDING":
      addOrder(d.orderId);
      addTimeline((t) => t.data.orderId === d.orderId && t.kind === "order.created");
      break;
    case "MEMBERSHIP_REVOKED":
      addMembership(bundle.memberships.find((m) => m.sourceOrderId === d.orderId && m.status === "revoked"));
      addOrder(d.orderId);
      break;
    case "MEMBERSHIP_EXPIRED":
    case "MEMBERSHIP_IN_GRACE":
      addMembership(bundle.memberships.find((m) => m.tier === d.tier && iso(m.expiresAt) === d.expiredAt));
      break;
    case "TIER_NOT_ELIGIBLE":
      addMembership(bundle.memberships.find((m) => m.tier === d.tier && m.status === "active"));
      pushIfSome(items, catalogVersionItem(input.catalog, input.catalog.version));
      break;
    case "STATE_INCONSISTENT":
      addMembership(bundle.memberships.find((m) => m.id === d.membershipId));
      break;
    case "NO_MEMBERSHIP":
      for (const o of bundle.orders.slice(-5)) items.push(orderItem(o));
      addTimeline((t) => t.kind === "member.registered", 1);
      break;
    case "RULE_CHANGED":
    case "BENEFIT_WITHDRAWN":
      pushIfSome(items, catalogVersionItem(input.catalog, Number(d.version)));
      addGrant();
      break;
    case "CLIENT_OUTDATED":
    case "CLIENT_CACHE_STALE":
      addClient();
      break;
    case "ACCOUNT_ON_HOLD": {
      const hold = input.holds.find((h) => h.id === d.holdId);
      if (hold) {
        items.push({
          type: "hold",
          id: hold.id,
          at: iso(hold.placedAt),
          data: { reason: hold.reason, benefits: hold.benefits, clearMethod: hold.clearMethod },
        });
      }
      addTimeline((t) => t.data.holdId === d.holdId);
      break;
    }
    default:
      addGrant();
  }
  return dedupe(items);
}

function pushIfSome(items: EvidenceItem[], item: EvidenceItem | null) {
  if (item) items.push(item);
}

function dedupe(items: EvidenceItem[]): EvidenceItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.type}:${item.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
