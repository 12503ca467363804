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
}

/** API keys (stored hashed) and server-wide settings such as the member-token signing secret. */
export interface AuthStore {
  insertApiKey(key: Omit<ApiKeyRecord, "createdAt" | "revokedAt">): Promise<ApiKeyRecord>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Stores `value` under `key` unless one is there; returns the stored value (first writer wins). */
  settingOnce(key: string, value: string): Promise<string>;
}

type Row = Selectable<ApiKeysTable>;

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiKeyRole,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export function createAuthStore(db: Executor): AuthStore {
  return {
    async insertApiKey(key) {
      const row = await db
        .insertInto("api_keys")
        .values({ id: key.id, name: key.name, role: key.role, secret_hash: key.secretHash })
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
