/**
 * The evidence a ticket freezes (DESIGN, "Support desk"): the member with memberships, grants,
 * orders and holds, the full diagnosis of the benefit, the order named with its payment events,
 * the catalog version in force and the last timeline entries. Gathered through the features'
 * services; a version is never changed, a fresh one is added.
 */
import type { CatalogService } from "../catalog/catalog-service.js";
import type { DecisionService } from "../decisions/decision-service.js";
import type { RequestLocale } from "../engine/decision-context.js";
import type { Diagnosis } from "../engine/diagnosis-types.js";
import { AppError } from "../errors.js";
import type { MemberService } from "../members/member-service.js";
import type { DiagnosisService } from "../support/diagnosis-service.js";
import type { TimelineService } from "../timeline/timeline-service.js";
import type { Priority } from "./ticket-types.js";

/** How many of the member's latest timeline entries the evidence keeps. */
export const EVIDENCE_TIMELINE_ENTRIES = 50;

export interface EvidenceDeps {
  members: MemberService;
  timeline: TimelineService;
  diagnosis: DiagnosisService;
  catalog: CatalogService;
  /** The member's snapshot holds the latest client session the app reported. */
  decisions: DecisionService;
}

export type MemberDetail = Awaited<ReturnType<MemberService["detail"]>>;

export interface EvidenceDocument {
  member: MemberDetail;
  diagnosis: Diagnosis | null;
  order: { order: Record<string, unknown>; paymentEvents: Record<string, unknown>[] } | null;
  catalogVersion: number | null;
  latestSession: {
    platform: string;
    version: string;
    entitlementsVersion: number;
    reportedAt: string;
  } | null;
  timeline: Awaited<ReturnType<TimelineService["forMember"]>>["entries"];
  [key: string]: unknown;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function gatherEvidence(
  deps: EvidenceDeps,
  memberId: string,
  about: { benefit: string | null; orderId: string | null },
  locale: RequestLocale,
): Promise<EvidenceDocument> {
  const member = await deps.members.detail(memberId);
  const [diagnosis, claimed, timeline, snapshot] = await Promise.all([
    about.benefit === null
      ? null
      : deps.diagnosis.diagnose(
          memberId,
          { benefit: about.benefit, orderId: about.orderId ?? undefined },
          locale,
        ),
    about.orderId === null ? null : deps.diagnosis.claimedOrder(memberId, about.orderId),
    deps.timeline.forMember(memberId),
    deps.decisions.snapshot(memberId),
  ]);
  // Another member's order answers like one that does not exist.
  if (about.orderId !== null && claimed === null) {
    throw new AppError("ORDER_NOT_FOUND", `Order ${about.orderId} does not exist.`, [
      { path: "/orderId", message: "no such order of this member" },
    ]);
  }
  const order =
    claimed === null
      ? null
      : {
          order: {
            ...claimed.order,
            createdAt: iso(claimed.order.createdAt),
            paidAt: iso(claimed.order.paidAt),
            refundedAt: iso(claimed.order.refundedAt),
          },
          paymentEvents: claimed.paymentEvents.map((p) => ({ ...p, receivedAt: iso(p.receivedAt) })),
        };
  return {
    member,
    diagnosis,
    order,
    catalogVersion: deps.catalog.peek()?.version ?? null,
    latestSession:
      snapshot.latestSession === null
        ? null
        : {
            ...snapshot.latestSession,
            reportedAt: new Date(snapshot.latestSession.reportedAt).toISOString(),
          },
    timeline: timeline.entries.slice(-EVIDENCE_TIMELINE_ENTRIES),
  };
}

const PAYING_ORDER = new Set(["paid", "pending_payment"]);

/**
 * DESIGN: a paid member whose benefit is not working is `high`: a `sync_delay` or `system_fault`
 * cause for a member who paid or is paying, or an open hold blocking a member who paid.
 */
export function priorityFromEvidence(evidence: EvidenceDocument): Priority {
  const { member, diagnosis } = evidence;
  const paying = member.orders.some((o) => PAYING_ORDER.has(o.status));
  const paid = member.orders.some((o) => o.status === "paid");
  if (diagnosis !== null && !diagnosis.allowed && paying) {
    if (diagnosis.causes.some((c) => c === "sync_delay" || c === "system_fault")) return "high";
  }
  const held = member.holds.some((h) => h.status === "open");
  const blocking =
    diagnosis === null ? held : !diagnosis.allowed && diagnosis.causes.includes("account_risk");
  if (paid && held && blocking) return "high";
  return "normal";
}
