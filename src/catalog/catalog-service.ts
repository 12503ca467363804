import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import { AppError } from "../errors.js";
import type { CatalogStore, CatalogVersionRecord, CatalogVersionSummary } from "./catalog-store.js";
import type { CompiledCatalog } from "./catalog-types.js";
import { compileCatalog } from "./compile-catalog.js";
import { type CatalogDiff, diffCatalogs } from "./diff-catalog.js";
import { validateCatalogPut } from "./validate-catalog.js";

/** The PUT body as the document and its version metadata; every problem of either listed at once. */
function readPutBody(body: unknown) {
  const validation = validateCatalogPut(body);
  if (!validation.ok) {
    const { problems } = validation;
    throw new AppError("VALIDATION_FAILED", `The catalog has ${problems.length} problem(s).`, problems);
  }
  const { notice, effectiveFrom, policy } = validation.meta;
  return {
    document: validation.document,
    notice: notice ?? null,
    effectiveFrom: effectiveFrom === undefined ? null : new Date(effectiveFrom),
    policy: policy ?? "apply_now",
  };
}

/** The versioned catalog: validation, immutable versions with diffs, and the compiled current version. */
export class CatalogService {
  private current: CompiledCatalog | null = null;
  private readonly pastVersions = new Map<number, CompiledCatalog>();
  private readonly listeners: ((catalog: CompiledCatalog) => void)[] = [];

  constructor(
    private readonly data: DataAccess,
    private readonly clock: Clock,
  ) {}

  /** Loads the latest version from the database (on start, and when another node may have written). */
  async refresh(): Promise<CompiledCatalog | null> {
    const latest = await this.data.catalog.latest();
    if (latest && latest.version !== this.current?.version) this.install(latest);
    return this.current;
  }

  /** Called with each newly installed catalog version. */
  onChange(listener: (catalog: CompiledCatalog) => void): void {
    this.listeners.push(listener);
  }

  /** The current compiled catalog, or null before the first PUT. Synchronous: read on the hot path. */
  peek(): CompiledCatalog | null {
    return this.current;
  }

  require(): CompiledCatalog {
    if (!this.current)
      throw new AppError("CATALOG_NOT_FOUND", "No catalog has been defined yet: PUT /v1/catalog first.");
    return this.current;
  }

  /** Validates the whole body at once and stores it as version n+1. */
  async put(body: unknown): Promise<{ version: number; diff: CatalogDiff }> {
    const input = readPutBody(body);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.data.catalog.latest();
      const record: CatalogVersionRecord = {
        version: (latest?.version ?? 0) + 1,
        document: input.document,
        diff: diffCatalogs(latest?.document ?? null, input.document),
        notice: input.notice,
        effectiveFrom: input.effectiveFrom,
        policy: input.policy,
        createdAt: new Date(this.clock.now()),
      };
      // Version numbers are taken first-come: a concurrent writer makes us recompute against its version.
      // A new catalog can change any member's decisions, so every entitlements version moves with it.
      const inserted = await this.data.transaction(async (stores) => {
        if (!(await stores.catalog.insert(record))) return false;
        await stores.members.bumpAllEntitlementsVersions();
        return true;
      });
      if (inserted) {
        this.install(record);
        return { version: record.version, diff: record.diff };
      }
    }
    throw new AppError("CONFLICT", "The catalog is being changed concurrently; try again.");
  }

  async versions(): Promise<CatalogVersionSummary[]> {
    return this.data.catalog.list();
  }

  async version(n: number): Promise<CatalogVersionRecord> {
    const record = await this.data.catalog.get(n);
    if (!record) throw new AppError("CATALOG_VERSION_NOT_FOUND", `Catalog version ${n} does not exist.`);
    return record;
  }

  /**
   * A past version, compiled (kept: versions are immutable). Inside a transaction pass its catalog
   * store: on PGlite the transaction holds the only connection.
   */
  async compiled(version: number, store: CatalogStore = this.data.catalog): Promise<CompiledCatalog> {
    if (this.current?.version === version) return this.current;
    let compiled = this.pastVersions.get(version);
    if (!compiled) {
      const record = await store.get(version);
      if (!record)
        throw new AppError("CATALOG_VERSION_NOT_FOUND", `Catalog version ${version} does not exist.`);
      compiled = compileCatalog(record.document, record.version, record.createdAt.getTime());
      this.pastVersions.set(version, compiled);
    }
    return compiled;
  }

  private install(record: CatalogVersionRecord): void {
    if (this.current && this.current.version > record.version) return;
    this.current = compileCatalog(record.document, record.version, record.createdAt.getTime());
    for (const listener of this.listeners) listener(this.current);
  }
}
