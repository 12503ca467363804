import type { CompiledCatalog } from "../catalog/catalog-types.js";
import { newId } from "../ids.js";
import type { NewGrant } from "./grant-rows.js";
import { grantEffectiveFrom } from "./grant-times.js";

/** The membership new grants belong to, as a grant needs it. */
export interface GrantHolder {
  memberId: string;
  membershipId: string;
  tier: string;
  /** The member's time zone: a benefit that starts "next day" starts at their midnight. */
  timezone: string;
  expiresAt: Date;
}

/**
 * The grants of `benefits` for one membership, each effective by its benefit's own rule from
 * `startsAt`: the one place a new grant is built (a payment's activation, a rule change that adds
 * benefits to a tier, the repair of missing grants).
 */
export function newGrants(
  catalog: CompiledCatalog,
  catalogVersion: number,
  benefits: Iterable<string>,
  holder: GrantHolder,
  startsAt: number,
): NewGrant[] {
  return [...benefits].map((code) => ({
    id: newId("grt"),
    memberId: holder.memberId,
    membershipId: holder.membershipId,
    benefit: code,
    tier: holder.tier,
    effectiveFrom: new Date(grantEffectiveFrom(catalog.benefits.get(code)!, startsAt, holder.timezone)),
    expiresAt: holder.expiresAt,
    catalogVersion,
  }));
}
