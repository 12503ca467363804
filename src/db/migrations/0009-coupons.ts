import { type Kysely, sql } from "kysely";

/**
 * Member coupons (issue 5): the coupons coupon_pack grants issued, a usage counter per template (for
 * the global limit, updated with a conditional increment) and redemptions keyed by the platform's
 * order reference.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("member_coupons")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("template", "text", (c) => c.notNull())
    // null for a coupon not issued by a coupon_pack grant (none yet: reserved for operators).
    .addColumn("benefit_code", "text")
    .addColumn("grant_id", "text")
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    .addColumn("period_end", "timestamptz", (c) => c.notNull())
    .addColumn("sequence", "integer", (c) => c.notNull())
    .addColumn("issued_at", "timestamptz", (c) => c.notNull())
    .addColumn("claimed_at", "timestamptz")
    .addColumn("valid_from", "timestamptz", (c) => c.notNull())
    .addColumn("valid_until", "timestamptz")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("order_ref", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    // Issuing the same period twice inserts nothing.
    .addUniqueConstraint("member_coupons_issue_key", ["grant_id", "template", "period_start", "sequence"])
    .execute();
  await db.schema.createIndex("member_coupons_member_idx").on("member_coupons").column("member_id").execute();
  await db.schema
    .createTable("coupon_usage")
    .addColumn("template", "text", (c) => c.primaryKey())
    // Coupons of the template locked to an order or used, by every member.
    .addColumn("used", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("coupon_redemptions")
    .addColumn("order_ref", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("coupon_ids", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    // The first answer, replayed to a repeat of the same request.
    .addColumn("response", "jsonb", (c) => c.notNull())
    .addColumn("locked_at", "timestamptz", (c) => c.notNull())
    .addColumn("completed_at", "timestamptz")
    .addColumn("released_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("coupon_redemptions").ifExists().execute();
  await db.schema.dropTable("coupon_usage").ifExists().execute();
  await db.schema.dropTable("member_coupons").ifExists().execute();
}
