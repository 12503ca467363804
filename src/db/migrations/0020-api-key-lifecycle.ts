import type { Kysely } from "kysely";

/**
 * API keys that can be revoked, rotated and expire (issue 18):
 * - `last_used_at`: written at most once a minute per key, off the request's path;
 * - `expires_at`: optional at creation; the key is refused from then on;
 * - `previous_secret_hash` / `previous_valid_until`: a rotated key's old secret, still accepted
 *   until then so the platform can deploy the new one (`revoked_at` already existed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("api_keys")
    .addColumn("last_used_at", "timestamptz")
    .addColumn("expires_at", "timestamptz")
    .addColumn("previous_secret_hash", "text")
    .addColumn("previous_valid_until", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("api_keys")
    .dropColumn("previous_valid_until")
    .dropColumn("previous_secret_hash")
    .dropColumn("expires_at")
    .dropColumn("last_used_at")
    .execute();
}
