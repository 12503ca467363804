import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import type { LocationCount, Signal } from "./evaluate-signal.js";

/** Risk signals, the history the rules read from them, and the stored rules. */
export interface SignalStore {
  insert(memberId: string, signal: Signal, at: Date): Promise<void>;
  /**
   * Serializes signal evaluation per device until the transaction ends: two members logging in on
   * one device at once must not both miss each other in the shared-device count.
   */
  lockDevice(deviceId: string): Promise<void>;
  /** Members other than `memberId` who logged in on the device at or after `since` (at most `limit`). */
  deviceMembers(deviceId: string, memberId: string, since: Date, limit: number): Promise<string[]>;
  /** The member's logins with a country at or after `since`, counted per country and city. */
  locations(memberId: string, since: Date): Promise<LocationCount[]>;
  /** The stored risk rules (parsed JSON), or null when an admin never set them. */
  readRules(): Promise<unknown | null>;
  writeRules(rules: unknown): Promise<void>;
}

const RULES_KEY = "risk_rules";

export function createSignalStore(db: Executor): SignalStore {
  return {
    async insert(memberId, signal, at) {
      const login = signal.type === "login" ? signal : null;
      await db
        .insertInto("signals")
        .values({
          member_id: memberId,
          type: signal.type,
          device_id: login?.deviceId ?? null,
          ip: login?.ip ?? null,
          country: login?.country ?? null,
          city: login?.city ?? null,
          channel: signal.type === "purchase" ? signal.channel : null,
          at,
        })
        .execute();
    },
    async lockDevice(deviceId) {
      // A transaction-scoped advisory lock keyed by the device: no row to lock exists for a device.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`device:${deviceId}`}, 0))`.execute(db);
    },
    async deviceMembers(deviceId, memberId, since, limit) {
      const rows = await db
        .selectFrom("signals")
        .select("member_id")
        .distinct()
        .where("device_id", "=", deviceId)
        .where("type", "=", "login")
        .where("at", ">=", since)
        .where("member_id", "<>", memberId)
        .limit(limit)
        .execute();
      return rows.map((r) => r.member_id);
    },
    async locations(memberId, since) {
      const { rows } = await sql<{
        country: string;
        city: string | null;
        logins: string | number;
        last_at: Date;
      }>`
        select country, min(city) as city, count(*) as logins, max(at) as last_at
        from signals
        where member_id = ${memberId} and type = 'login' and country is not null and at >= ${since}
        group by country, lower(coalesce(city, ''))`.execute(db);
      return rows.map((r) => ({
        country: r.country,
        city: r.city,
        logins: Number(r.logins),
        lastAt: new Date(r.last_at).getTime(),
      }));
    },
    async readRules() {
      const row = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", RULES_KEY)
        .executeTakeFirst();
      return row ? JSON.parse(row.value) : null;
    },
    async writeRules(rules) {
      const value = JSON.stringify(rules);
      await db
        .insertInto("settings")
        .values({ key: RULES_KEY, value })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
        .execute();
    },
  };
}
