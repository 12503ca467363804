import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { MemberRecord } from "../members/member-record.js";
import type { MemberWriteScope } from "../members/member-writes.js";
import { restoreMembershipGrants, revokeMembership } from "../memberships/membership-repairs.js";
import { activateFromOrder, relinkOrder } from "../orders/activate-from-order.js";
import { type Finding, findingData } from "./drift.js";
import type { TierBenefits } from "./reconcile-store.js";

/** The current catalog's tiers and their benefits, as the detection query takes them. */
export function tierBenefits(catalog: CompiledCatalog): TierBenefits {
  const tiers: TierBenefits = {};
  for (const [code, tier] of catalog.tiers) tiers[code] = [...tier.benefits];
  return tiers;
}

export interface MemberRepair {
  /** The drift found under the member's lock (the scan may have seen more, or less). */
  found: Finding[];
  repaired: { finding: Finding; data: Record<string, unknown> }[];
  /** Drift that cannot be repaired automatically, with why (e.g. the order's plan is in no catalog). */
  skipped: { finding: Finding; why: string }[];
}

/**
 * Repairs one member, in the caller's transaction: locks the member row, detects the member's drift
 * again under the lock (what a scan saw may have been fixed by a concurrent write meanwhile), repairs
 * each finding idempotently, and records every repair on the timeline with one entitlements bump.
 */
export async function repairMember(
  scope: MemberWriteScope,
  catalogs: CatalogService,
  memberId: string,
  now: number,
): Promise<MemberRepair> {
  const { stores } = scope;
  const member = await stores.members.lock(memberId);
  const result: MemberRepair = { found: [], repaired: [], skipped: [] };
  if (!member) return result;
  const catalog = catalogs.require();
  result.found = await stores.reconcile.detect(memberId, memberId, new Date(now), tierBenefits(catalog));
  // Activations first: they create memberships and grants, which the other kinds then see.
  const order = (f: Finding) =>
    f.kind === "paid_without_membership" || f.kind === "payment_event_not_applied" ? 0 : 1;
  for (const finding of [...result.found].sort((a, b) => order(a) - order(b))) {
    const outcome = await repair(scope, catalogs, catalog, member, finding, now);
    if (typeof outcome === "string") result.skipped.push({ finding, why: outcome });
    else result.repaired.push({ finding, data: outcome });
  }
  if (result.repaired.length > 0) {
    await scope.entitlementsChanged(
      memberId,
      "reconcile.repaired",
      { drifts: [...new Set(result.repaired.map((r) => r.finding.kind))] },
      {
        source: "system",
        entries: result.repaired.map((r) => ({
          kind: "reconcile.repaired",
          data: { ...findingData(r.finding), ...r.data },
        })),
      },
    );
  }
  return result;
}

/** Repairs one finding: what it did (for the timeline), or why it could not. */
async function repair(
  scope: MemberWriteScope,
  catalogs: CatalogService,
  catalog: CompiledCatalog,
  member: MemberRecord,
  finding: Finding,
  now: number,
): Promise<Record<string, unknown> | string> {
  const { stores } = scope;
  switch (finding.kind) {
    case "paid_without_membership":
    case "payment_event_not_applied": {
      const order = finding.orderId ? await stores.orders.get(finding.orderId) : null;
      if (!order) return "order not found";
      // The membership may still be there, only unlinked: link it again rather than sell a second one.
      const existing =
        finding.kind === "paid_without_membership"
          ? await stores.reconcile.membershipOfOrder(order.id)
          : null;
      if (existing) {
        await relinkOrder(stores, order.id, existing);
        return { repair: "order_relinked", membershipId: existing };
      }
      // As the payment would have.
      const payment = { paidAt: order.paidAt ?? new Date(now), providerRef: order.providerRef };
      const activated = await activateFromOrder(stores, catalogs, catalog, member, order, payment, now);
      if (!activated) return `plan ${order.plan} is in no catalog`;
      const { activation } = activated;
      return {
        repair: `membership_${activation.kind}`,
        membershipId: activation.membershipId,
        tier: activation.tier,
        expiresAt: activation.periodEnd.toISOString(),
        grantsCreated: activation.grantsCreated,
      };
    }
    case "membership_without_grants":
    case "grant_missing": {
      const membership = finding.membershipId ? await stores.memberships.get(finding.membershipId) : null;
      if (membership?.status !== "active") return "membership is no longer active";
      const grantsCreated = await restoreMembershipGrants(stores, catalog, membership, member.timezone, now);
      if (grantsCreated === "tier_not_in_catalog") return `tier ${membership.tier} is not in the catalog`;
      return { repair: "grants_created", grantsCreated, catalogVersion: catalog.version };
    }
    case "grant_after_refund": {
      const membership = finding.membershipId ? await stores.memberships.get(finding.membershipId) : null;
      if (!membership) return "membership not found";
      // Every order of it was refunded, yet it is active: revoke it, as the refund would have.
      const { revoked, grantsEnded } = await revokeMembership(stores, membership, now);
      return { repair: "grants_ended", grantsEnded, membershipRevoked: revoked };
    }
    case "version_not_bumped":
      // The bump that ends every repair is the repair.
      return { repair: "version_bumped" };
  }
}
