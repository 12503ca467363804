import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { Executor } from "../db/transaction.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import { CatalogService } from "./catalog-service.js";

/** The versioned catalog; every version stored or coming into force drops the cached snapshots. */
export function createCatalogFeature(deps: {
  data: Pick<DataAccess, "catalog" | "ruleChanges" | "notices" | "transaction">;
  cache: Pick<SnapshotCache, "invalidateAll">;
  clock: Clock;
  /** Tells the other nodes, inside the storing transaction, that a version was stored. */
  announce?: (executor: Executor, version: number) => Promise<void>;
}) {
  const { data, cache, clock, announce } = deps;
  const catalog = new CatalogService({
    store: data.catalog,
    ruleChanges: data.ruleChanges,
    notices: data.notices,
    transaction: data.transaction,
    clock,
    announce,
  });
  // A stored version may have marked grants (grandfathering), and one coming into force changes
  // decisions: no cached snapshot survives either. Affected members' entitlements versions move with
  // their notice (catalog.activate).
  catalog.onChange(() => cache.invalidateAll());
  return { catalog };
}
