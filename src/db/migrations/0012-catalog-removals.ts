import { type Kysely, sql } from "kysely";

/**
 * Indexes for what a catalog change would take away (catalog-removals.ts), counted in SQL when a PUT
 * removes tiers, plans or benefits: the live memberships of a tier (also what the activation job's
 * chunks and notice fan-out select), the pending orders of a plan, and the active grants of a benefit.
 * The partial ones index only the rows those counts read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("memberships_tier_idx")
    .on("memberships")
    .columns(["tier_code", "status", "member_id"])
    .execute();
  await sql`create index orders_pending_plan_idx on orders (plan_code) where status = 'pending_payment'`.execute(
    db,
  );
  await sql`create index grants_active_benefit_idx on grants (benefit_code, member_id) where status = 'active'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("grants_active_benefit_idx").execute();
  await db.schema.dropIndex("orders_pending_plan_idx").execute();
  await db.schema.dropIndex("memberships_tier_idx").execute();
}
