import { type Selectable, sql } from "kysely";
import type { Clock } from "../clock.js";
import type { MembersTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { TimelineEntry } from "../timeline/timeline-types.js";
import type { MemberRecord } from "./member-record.js";

export interface MemberUpsert {
  id: string;
  displayName?: string | null;
  locale?: string | null;
  timezone?: string;
}

/** Members and their entitlements version. */
export interface MemberStore {
  /** Creates the member or updates the given fields; returns the row and whether it was created. */
  upsert(input: MemberUpsert, defaultTimezone: string): Promise<{ member: MemberRecord; created: boolean }>;
  get(id: string): Promise<MemberRecord | null>;
  /** Locks the member row until the transaction ends: every write to one member is serialized on it. */
  lock(id: string): Promise<MemberRecord | null>;
  /** Locks several member rows, in id order (so two batches never wait on each other); returns the ids found. */
  lockMany(ids: string[]): Promise<string[]>;
  /**
   * Bumps the version and appends an outbox event carrying it and the write's timeline entries,
   * in one statement: every write that can change a decision ends with this.
   */
  bumpWithEvent(
    id: string,
    type: string,
    payload: Record<string, unknown>,
    timeline?: TimelineEntry[],
  ): Promise<number>;
  /**
   * bumpWithEvent for many members in one statement (batch jobs); `changes` must name each member
   * once. Returns the new version per member; unknown members are skipped.
   */
  bumpManyWithEvents(
    type: string,
    changes: { memberId: string; payload: Record<string, unknown>; timeline: TimelineEntry[] }[],
  ): Promise<Map<string, number>>;
  /** Adds one to every member's entitlements version (a catalog change may alter anyone's decisions). */
  bumpAllEntitlementsVersions(): Promise<void>;
  /**
   * Members whose id starts with `query` or whose display name contains it (case-insensitive), id
   * order; every member (from the first id) when `query` is empty.
   */
  search(query: string, limit: number): Promise<MemberRecord[]>;
}

/** `query` as a LIKE pattern's literal text: its own % and _ match only themselves. */
function likeLiteral(query: string): string {
  return query.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type MemberRow = Selectable<MembersTable>;

function toRecord(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    locale: row.locale,
    timezone: row.timezone,
    entitlementsVersion: row.entitlements_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `clock` stamps `updated_at`: rows changed at a test's time say so. */
export function createMemberStore(db: Executor, clock: Clock): MemberStore {
  return {
    async upsert(input, defaultTimezone) {
      const now = new Date(clock.now());
      const row = await db
        .insertInto("members")
        .values({
          id: input.id,
          display_name: input.displayName ?? null,
          locale: input.locale ?? null,
          timezone: input.timezone ?? defaultTimezone,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column("id").doUpdateSet((eb) => ({
            display_name:
              input.displayName === undefined ? eb.ref("members.display_name") : input.displayName,
            locale: input.locale === undefined ? eb.ref("members.locale") : input.locale,
            timezone: input.timezone === undefined ? eb.ref("members.timezone") : input.timezone,
            updated_at: now,
          })),
        )
        .returningAll()
        .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
        .executeTakeFirstOrThrow();
      return { member: toRecord(row), created: row.inserted };
    },
    async get(id) {
      const row = await db.selectFrom("members").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async lock(id) {
      const row = await db
        .selectFrom("members")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async lockMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("members")
        .select("id")
        .where("id", "in", ids)
        .orderBy("id")
        .forUpdate()
        .execute();
      return rows.map((r) => r.id);
    },
    async bumpWithEvent(id, type, payload, timeline = []) {
      // Timeline rows ride along as a JSON array, so the whole record of a change is one statement.
      const entries = JSON.stringify(
        timeline.map((e) => ({ at: e.at.toISOString(), kind: e.kind, source: e.source, data: e.data })),
      );
      const { rows } = await sql<{ version: number }>`
        with bumped as (
          update members set entitlements_version = entitlements_version + 1, updated_at = ${new Date(clock.now())}
          where id = ${id} returning entitlements_version),
        entries as (
          insert into timeline (member_id, at, kind, source, data)
          select ${id}, e.at, e.kind, e.source, e.data
          from rows from (jsonb_to_recordset(${entries}::jsonb) as (at timestamptz, kind text, source text, data jsonb))
            with ordinality as e(at, kind, source, data, n)
          where exists (select 1 from bumped)
          order by n)
        insert into outbox (member_id, type, payload)
        select ${id}, ${type}, ${JSON.stringify(payload)}::jsonb || jsonb_build_object('entitlementsVersion', entitlements_version)
        from bumped
        returning (payload->>'entitlementsVersion')::int as version`.execute(db);
      if (!rows[0]) throw new Error(`member ${id} does not exist`);
      return rows[0].version;
    },
    async bumpManyWithEvents(type, changes) {
      if (changes.length === 0) return new Map();
      const input = JSON.stringify(
        changes.map((c, n) => ({
          member_id: c.memberId,
          n,
          payload: c.payload,
          entries: c.timeline.map((e) => ({
            at: e.at.toISOString(),
            kind: e.kind,
            source: e.source,
            data: e.data,
          })),
        })),
      );
      const { rows } = await sql<{ member_id: string; version: number }>`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as i(member_id text, n int, payload jsonb, entries jsonb)),
        bumped as (
          update members m set entitlements_version = m.entitlements_version + 1, updated_at = ${new Date(clock.now())}
          from input i where m.id = i.member_id
          returning m.id, m.entitlements_version),
        entries as (
          insert into timeline (member_id, at, kind, source, data)
          select i.member_id, e.at, e.kind, e.source, e.data
          from input i join bumped b on b.id = i.member_id
          cross join lateral rows from (
            jsonb_to_recordset(i.entries) as (at timestamptz, kind text, source text, data jsonb))
            with ordinality as e(at, kind, source, data, k)
          order by i.n, e.k)
        insert into outbox (member_id, type, payload)
        select i.member_id, ${type}, i.payload || jsonb_build_object('entitlementsVersion', b.entitlements_version)
        from input i join bumped b on b.id = i.member_id
        order by i.n
        returning member_id, (payload->>'entitlementsVersion')::int as version`.execute(db);
      return new Map(rows.map((r) => [r.member_id, r.version]));
    },
    async bumpAllEntitlementsVersions() {
      await db.updateTable("members").set({ entitlements_version: sql`entitlements_version + 1` }).execute();
    },
    async search(query, limit) {
      let select = db.selectFrom("members").selectAll();
      if (query) {
        const pattern = likeLiteral(query);
        select = select.where((eb) =>
          eb.or([eb("id", "like", `${pattern}%`), eb("display_name", "ilike", `%${pattern}%`)]),
        );
      }
      const rows = await select.orderBy("id").limit(limit).execute();
      return rows.map(toRecord);
    },
  };
}
