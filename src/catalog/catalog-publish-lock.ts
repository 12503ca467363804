/**
 * The lock that keeps a catalog publish and the purchases it counts consistent. A publish holds it
 * exclusively from before it counts what it removes until it commits; creating an order holds it
 * shared (orders do not wait for each other), so an order either commits before the publish counts
 * it, or starts after the publish committed and sees the new catalog. Transaction-scoped advisory
 * locks: released at commit or rollback, on every node of a cluster sharing the database.
 */
import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";

/** Per schema: deployments (and test databases) sharing one PostgreSQL database never wait for each other. */
const KEY = sql`hashtextextended('perkwise:catalog.publish:' || current_schema(), 0)`;

/** Taken by a catalog publish, as the first statement of its transaction. */
export async function lockCatalogForPublish(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${KEY})`.execute(db);
}

/** Taken by an order's transaction before it reads the catalog: waits for a publish under way. */
export async function lockCatalogAgainstPublish(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${KEY})`.execute(db);
}
