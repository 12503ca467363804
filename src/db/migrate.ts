import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { DatabaseHandle } from "./database.js";
import * as initial from "./migrations/0001-initial.js";
import * as timeline from "./migrations/0002-timeline.js";
import * as lifecycle from "./migrations/0003-lifecycle.js";
import * as quotas from "./migrations/0004-quotas.js";
import * as ruleChanges from "./migrations/0005-rule-changes.js";
import * as holds from "./migrations/0006-holds.js";
import * as reconcile from "./migrations/0007-reconcile.js";
import * as sessions from "./migrations/0008-sessions.js";
import * as coupons from "./migrations/0009-coupons.js";
import * as events from "./migrations/0010-events.js";
import * as paymentLatency from "./migrations/0011-payment-latency.js";
import * as catalogRemovals from "./migrations/0012-catalog-removals.js";
import * as demoSeed from "./migrations/0013-demo-seed.js";
import * as outcomesNotStatuses from "./migrations/0014-outcomes-not-statuses.js";
import * as paymentProviders from "./migrations/0015-payment-providers.js";
import * as orderProviderRef from "./migrations/0016-order-provider-ref.js";
import * as tickets from "./migrations/0018-tickets.js";
import * as apiKeyLifecycle from "./migrations/0020-api-key-lifecycle.js";

/** Migrations in code, in order; names sort lexically, so keep the numeric prefix. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-timeline": timeline,
  "0003-lifecycle": lifecycle,
  "0004-quotas": quotas,
  "0005-rule-changes": ruleChanges,
  "0006-holds": holds,
  "0007-reconcile": reconcile,
  "0008-sessions": sessions,
  "0009-coupons": coupons,
  "0011-payment-latency": paymentLatency,
  "0010-events": events,
  "0012-catalog-removals": catalogRemovals,
  "0013-demo-seed": demoSeed,
  "0014-outcomes-not-statuses": outcomesNotStatuses,
  "0015-payment-providers": paymentProviders,
  "0020-api-key-lifecycle": apiKeyLifecycle,
  "0016-order-provider-ref": orderProviderRef,
  "0018-tickets": tickets,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(handle: Pick<DatabaseHandle, "db" | "schema">): Promise<string[]> {
  // The bookkeeping tables live in our own schema: otherwise Kysely may find another schema's.
  const migrator = new Migrator({
    db: handle.db as Kysely<unknown>,
    provider,
    migrationTableSchema: handle.schema,
    // Features land in parallel: a database migrated before a lower-numbered migration landed
    // still takes it. Each migration only adds its own tables and columns, so order between them is free.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${cause.message}`, { cause });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
