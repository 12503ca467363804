import type { Selectable } from "kysely";
import type { ApiKeysTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { ApiKeyRole } from "./api-key-roles.js";

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  secretHash: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  /** A rotated key's old secret and until when it is still accepted. */
  previousSecretHash: string | null;
  previousValidUntil: Date | null;
}

export type NewApiKey = Pick<ApiKeyRecord, "id" | "name" | "role" | "secretHash" | "expiresAt">;

/** API keys (stored hashed) and server-wide settings such as the member-token signing secret. */
export interface AuthStore {
  insertApiKey(key: NewApiKey): Promise<ApiKeyRecord>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key (once: a revoked key keeps its first revocation time); null when there is none. */
  revokeApiKey(id: string, at: Date): Promise<ApiKeyRecord | null>;
  /**
   * Gives a live key a new secret; the current one stays accepted until `previousValidUntil`.
   * Null when there is no such live key.
   */
  rotateApiKey(id: string, secretHash: string, previousValidUntil: Date): Promise<ApiKeyRecord | null>;
  /** Records use of these keys at `at`, skipping any whose last use is less than a minute before. */
  touchApiKeys(ids: string[], at: Date): Promise<void>;
  /** Stores `value` under `key` unless one is there; returns the stored value (first writer wins). */
  settingOnce(key: string, value: string): Promise<string>;
}

type Row = Selectable<ApiKeysTable>;

/** `last_used_at` is written at most this often per key. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiKeyRole,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  previousSecretHash: r.previous_secret_hash,
  previousValidUntil: r.previous_valid_until,
});

export function createAuthStore(db: Executor): AuthStore {
  return {
    async insertApiKey(key) {
      const row = await db
        .insertInto("api_keys")
        .values({
          id: key.id,
          name: key.name,
          role: key.role,
          secret_hash: key.secretHash,
          expires_at: key.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async getApiKey(id) {
      const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listApiKeys() {
      const rows = await db.selectFrom("api_keys").selectAll().orderBy("created_at").execute();
      return rows.map(toRecord);
    },
    async revokeApiKey(id, at) {
      await db
        .updateTable("api_keys")
        .set({ revoked_at: at, previous_secret_hash: null, previous_valid_until: null })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .execute();
      const row = await db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async rotateApiKey(id, secretHash, previousValidUntil) {
      const row = await db
        .updateTable("api_keys")
        .set((eb) => ({
          previous_secret_hash: eb.ref("secret_hash"),
          previous_valid_until: previousValidUntil,
          secret_hash: secretHash,
        }))
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async touchApiKeys(ids, at) {
      if (ids.length === 0) return;
      await db
        .updateTable("api_keys")
        .set({ last_used_at: at })
        .where("id", "in", ids)
        .where((eb) =>
          eb.or([
            eb("last_used_at", "is", null),
            eb("last_used_at", "<=", new Date(at.getTime() - LAST_USED_RESOLUTION_MS)),
          ]),
        )
        .execute();
    },
    async settingOnce(key, value) {
      await db
        .insertInto("settings")
        .values({ key, value })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      const row = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", key)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
