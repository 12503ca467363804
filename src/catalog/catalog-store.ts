import type { Selectable } from "kysely";
import type { CatalogVersionsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { CatalogDocument, CatalogPolicy, LocalizedText } from "./catalog-types.js";
import type { CatalogDiff } from "./diff-catalog.js";

export interface CatalogVersionRecord {
  version: number;
  document: CatalogDocument;
  diff: CatalogDiff;
  notice: LocalizedText | null;
  effectiveFrom: Date | null;
  policy: CatalogPolicy;
  createdAt: Date;
}

export type CatalogVersionSummary = Omit<CatalogVersionRecord, "document" | "diff">;

/** Immutable catalog versions, numbered 1, 2, 3… */
export interface CatalogStore {
  latest(): Promise<CatalogVersionRecord | null>;
  /** The highest version number, 0 before the first: one index read, no document. */
  latestVersion(): Promise<number>;
  get(version: number): Promise<CatalogVersionRecord | null>;
  list(): Promise<CatalogVersionSummary[]>;
  /** Every version with its document and diff, oldest first (the history decisions are explained by). */
  all(): Promise<CatalogVersionRecord[]>;
  /** Inserts a version; returns false when that number is taken (a concurrent writer won). */
  insert(record: CatalogVersionRecord): Promise<boolean>;
}

type Row = Selectable<CatalogVersionsTable>;

function toRecord(row: Row): CatalogVersionRecord {
  return {
    version: row.version,
    document: row.document as CatalogDocument,
    diff: row.diff as CatalogDiff,
    notice: (row.notice ?? null) as LocalizedText | null,
    effectiveFrom: row.effective_from,
    policy: row.policy as CatalogPolicy,
    createdAt: row.created_at,
  };
}

export function createCatalogStore(db: Executor): CatalogStore {
  return {
    async latest() {
      const row = await db
        .selectFrom("catalog_versions")
        .selectAll()
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async latestVersion() {
      const row = await db
        .selectFrom("catalog_versions")
        .select("version")
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst();
      return row?.version ?? 0;
    },
    async get(version) {
      const row = await db
        .selectFrom("catalog_versions")
        .selectAll()
        .where("version", "=", version)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async all() {
      const rows = await db.selectFrom("catalog_versions").selectAll().orderBy("version").execute();
      return rows.map(toRecord);
    },
    async list() {
      const rows = await db
        .selectFrom("catalog_versions")
        .select(["version", "notice", "effective_from", "policy", "created_at"])
        .orderBy("version")
        .execute();
      return rows.map((r) => ({
        version: r.version,
        notice: (r.notice ?? null) as LocalizedText | null,
        effectiveFrom: r.effective_from,
        policy: r.policy as CatalogPolicy,
        createdAt: r.created_at,
      }));
    },
    async insert(record) {
      const inserted = await db
        .insertInto("catalog_versions")
        .values({
          version: record.version,
          document: JSON.stringify(record.document),
          diff: JSON.stringify(record.diff),
          notice: record.notice === null ? null : JSON.stringify(record.notice),
          effective_from: record.effectiveFrom,
          policy: record.policy,
          created_at: record.createdAt,
        })
        .onConflict((oc) => oc.column("version").doNothing())
        .returning("version")
        .executeTakeFirst();
      return inserted !== undefined;
    },
  };
}
