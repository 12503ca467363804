import { type Kysely, sql } from "kysely";

/**
 * Orders found by the provider's payment reference: a Stripe dispute names its charge and
 * PaymentIntent, never our order, so the order is the one paid under that PaymentIntent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index orders_provider_ref_idx on orders (provider_ref) where provider_ref is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("orders_provider_ref_idx").execute();
}
