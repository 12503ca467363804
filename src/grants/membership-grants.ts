/**
 * What a membership's changes do to its grants: the one way other features write grant rows (the
 * grants store is the grants feature's own; a boundary test holds every other feature to these).
 * Each runs in the caller's transaction, on the stores of its write scope.
 */
import type { Stores } from "../db/stores.js";
import type { NewGrant } from "./grant-rows.js";

type GrantStores = Pick<Stores, "grants">;

/** Gives memberships the grants they lack (one per benefit): how many were new. */
export const addMembershipGrants = (stores: GrantStores, grants: NewGrant[]): Promise<number> =>
  stores.grants.insertMissing(grants);

/** Ends a membership's active grants with `reason` (expired, refunded, upgraded): how many ended. */
export const endMembershipGrants = (
  stores: GrantStores,
  membershipId: string,
  at: Date,
  reason: string,
): Promise<number> => stores.grants.endForMembership(membershipId, at, reason);

/** Re-activates a membership's grants that were ended for `reason` (a refunded upgrade gives them back). */
export const reinstateMembershipGrants = (stores: GrantStores, membershipId: string, reason: string) =>
  stores.grants.reinstateForMembership(membershipId, reason);

/** The grants of a membership whose end moved (an extension, a partial refund) end with it. */
export const setMembershipGrantsExpiry = (stores: GrantStores, membershipId: string, expiresAt: Date) =>
  stores.grants.setMembershipExpiry(membershipId, expiresAt);

/** The grants of a scheduled membership move as the membership moved. */
export const shiftMembershipGrants = (stores: GrantStores, membershipId: string, deltaMs: number) =>
  stores.grants.shiftForMembership(membershipId, deltaMs);
