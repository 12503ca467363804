import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import { MemberService } from "./member-service.js";
import { type MemberChangeAnnouncer, MemberWrites } from "./member-writes.js";

/**
 * Member writes (one transaction, then the members' snapshots dropped here and, through `announce`,
 * on every node) and the members' own service. The member page reads the other features' rows of
 * the member: `data` names those stores, read only.
 */
export function createMembersFeature(deps: {
  data: Pick<DataAccess, "transaction" | "members" | "memberships" | "grants" | "orders" | "holds">;
  cache: SnapshotCache;
  clock: Clock;
  announce?: MemberChangeAnnouncer;
}) {
  const { data, cache, clock, announce } = deps;
  const writes = new MemberWrites({ transaction: data.transaction, cache, clock, announce });
  const members = new MemberService({
    store: data.members,
    reads: { memberships: data.memberships, grants: data.grants, orders: data.orders, holds: data.holds },
    writes,
    clock,
  });
  return { writes, members };
}
