import type { Clock } from "../clock.js";
import { ALL_MEMBERS } from "../db/member-range.js";
import type { Stores, Transact } from "../db/stores.js";
import type { Executor } from "../db/transaction.js";
import { type ExplainedCatalogChange, explainCatalogChange } from "../engine/change-explainer.js";
import { AppError } from "../errors.js";
import { DEFAULT_TIME_ZONE } from "../time/durations.js";
import { catalogWithHistory, versionInForce } from "./catalog-in-force.js";
import { lockCatalogForPublish } from "./catalog-publish-lock.js";
import type { CatalogStore, CatalogVersionRecord, CatalogVersionSummary } from "./catalog-store.js";
import type { CatalogDocument, CompiledCatalog, Locale } from "./catalog-types.js";
import {
  type ChangeImpact,
  CONFIRM_REMOVE,
  changeImpact,
  countRemovals,
  isHeld,
  needsConfirmation,
} from "./change-impact.js";
import { compileCatalog } from "./compile-catalog.js";
import { type CatalogDiff, diffCatalogs } from "./diff-catalog.js";
import type { RuleChangeStore } from "./rule-change-store.js";
import { validateCatalogPut } from "./validate-catalog.js";
import { type VersionImpact, versionImpact } from "./version-impact.js";

/** The job that applies a catalog version to members when it comes into force (catalog-activation.ts). */
export const CATALOG_ACTIVATE = "catalog.activate";

/** The PUT body as the document and its version metadata; every problem of either listed at once. */
function readPutBody(body: unknown) {
  const validation = validateCatalogPut(body);
  if (!validation.ok) {
    const { problems } = validation;
    throw new AppError("VALIDATION_FAILED", `The catalog has ${problems.length} problem(s).`, problems);
  }
  const { notice, effectiveFrom, policy, confirm } = validation.meta;
  const effectiveMs = effectiveFrom === undefined ? null : Date.parse(effectiveFrom);
  return {
    document: validation.document,
    notice: notice ?? null,
    effectiveFrom: effectiveMs === null ? null : new Date(effectiveMs),
    policy: policy ?? "apply_now",
    confirmed: confirm === CONFIRM_REMOVE,
  };
}

type PutInput = ReturnType<typeof readPutBody>;

/** What a PUT stores (or, for a dry run, would store). */
export interface PutResult {
  version: number;
  diff: CatalogDiff;
  effectiveFrom: string;
}

/** When a version comes into force: its effectiveFrom, or its creation when that is later or absent. */
export function activeAtOf(record: Pick<CatalogVersionRecord, "effectiveFrom" | "createdAt">): number {
  const created = record.createdAt.getTime();
  const from = record.effectiveFrom?.getTime();
  return from !== undefined && from > created ? from : created;
}

/** A stored version, compiled once. */
export interface InstalledVersion {
  record: CatalogVersionRecord;
  compiled: CompiledCatalog;
  activeAt: number;
}

export type VersionStatus = "scheduled" | "in_force" | "superseded";

/** What storing a version writes, in one transaction: the outbox event and the activation job with it. */
export type CatalogWriteStores = Pick<Stores, "executor" | "catalog" | "ruleChanges" | "outbox" | "jobs">;

export interface CatalogDeps {
  store: CatalogStore;
  /** Held grants counted before a removal, grandfathered grants marked (the rule-change reads). */
  ruleChanges: RuleChangeStore;
  /** A preview counts the members its notices would go to, and names the first of them. */
  notices: Pick<Stores["notices"], "countRecipients" | "listRecipients">;
  transaction: Transact<CatalogWriteStores>;
  clock: Clock;
  /** Tells the other nodes, inside the storing transaction, that a version was stored. */
  announce?: (executor: Executor, version: number) => Promise<void>;
}

/**
 * The versioned catalog: validation, immutable versions with diffs, and the compiled version in force —
 * the highest-numbered version whose effective time has come. A scheduled version takes over at its
 * instant: require() compares the clock with one number, then swaps.
 */
export class CatalogService {
  private current: CompiledCatalog | null = null;
  /** Every known version, ascending by number. */
  private installed: InstalledVersion[] = [];
  /** When the next scheduled version comes into force; Infinity when none is scheduled. */
  private nextSwitchAt = Number.POSITIVE_INFINITY;
  private readonly listeners: ((catalog: CompiledCatalog) => void)[] = [];

  constructor(private readonly deps: CatalogDeps) {}

  /** Loads the versions from the database (on start, and when another node may have written). */
  async refresh(store: CatalogStore = this.deps.store): Promise<CompiledCatalog | null> {
    const known = this.installed.at(-1)?.record.version ?? 0;
    if ((await store.latestVersion()) > known) {
      const records = await store.all();
      for (const record of records) if (record.version > known) this.add(record);
      this.advance(true);
    }
    return this.peek();
  }

  /** Called with the compiled catalog whenever a version is stored or comes into force. */
  onChange(listener: (catalog: CompiledCatalog) => void): void {
    this.listeners.push(listener);
  }

  /** The catalog in force, or null before the first PUT. Synchronous: read on the hot path. */
  peek(): CompiledCatalog | null {
    if (this.deps.clock.now() >= this.nextSwitchAt) this.advance(true);
    return this.current;
  }

  require(): CompiledCatalog {
    if (this.deps.clock.now() >= this.nextSwitchAt) this.advance(true);
    if (!this.current)
      throw new AppError("CATALOG_NOT_FOUND", "No catalog has been defined yet: PUT /v1/catalog first.");
    return this.current;
  }

  /**
   * Validates the whole body at once and stores it as version n+1. Without a future `effectiveFrom` it
   * is in force at once (read-your-writes); either way a `catalog.activate` job applies it to members
   * when it comes into force. A `grandfather` change marks the affected grants now, so no member ever
   * decides by the new rules before their term ends, not even while the job is running. A change
   * that removes tiers, plans or benefits members hold, or plans pending orders name, is refused
   * (CATALOG_CHANGE_NEEDS_CONFIRMATION) unless the body says `"confirm": "remove"`.
   */
  async put(body: unknown): Promise<PutResult> {
    const input = readPutBody(body);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = this.installed.at(-1) ?? null;
      const { record, compiled, activeAt } = this.draft(input, latest);
      const now = record.createdAt;
      // Version numbers are taken first-come: a concurrent writer makes us recompute against its version.
      const inserted = await this.deps.transaction(async (stores) => {
        // Before the count, so no order commits between it and ours (catalog-publish-lock.ts).
        await lockCatalogForPublish(stores.executor);
        if (!(await stores.catalog.insert(record))) return false;
        // Counted against the version just superseded, in this transaction: a refusal rolls it back.
        if (!input.confirmed) {
          const before = latest?.record.document ?? null;
          const held = (await countRemovals(stores.ruleChanges, before, record.document, now)).filter(isHeld);
          if (held.length > 0) throw needsConfirmation(held);
        }
        if (record.policy === "grandfather" && latest !== null) {
          const impact = versionImpact(latest.compiled, compiled, record.diff);
          await stores.ruleChanges.markGrandfathered(
            impact.grantPairs,
            record.version,
            latest.record.version,
            now,
            ALL_MEMBERS,
          );
        }
        // Every event stream learns of the new version (clients with a local evaluator refetch it).
        await stores.outbox.append({
          memberId: null,
          type: "catalog.changed",
          payload: { version: record.version, effectiveFrom: new Date(activeAt).toISOString() },
        });
        await stores.jobs.schedule([
          {
            kind: CATALOG_ACTIVATE,
            key: `${CATALOG_ACTIVATE}:${record.version}`,
            runAt: new Date(activeAt),
            payload: { version: record.version, cursor: "" },
          },
        ]);
        await this.deps.announce?.(stores.executor, record.version);
        return true;
      });
      if (inserted) {
        this.add(record, compiled);
        this.advance(true);
        return {
          version: record.version,
          diff: record.diff,
          effectiveFrom: new Date(activeAt).toISOString(),
        };
      }
      await this.refresh();
    }
    throw new AppError("CONFLICT", "The catalog is being changed concurrently; try again.");
  }

  /**
   * What `put(body)` would do, counted now and written nowhere: the version it would create, its
   * diff, and its reach (change-impact.ts) — what it removes, whose decisions change, the notices
   * that would go out, the pending orders on removed plans.
   */
  async preview(
    body: unknown,
  ): Promise<
    PutResult & { dryRun: true; impact: ChangeImpact; explained: Record<Locale, ExplainedCatalogChange> }
  > {
    const input = readPutBody(body);
    await this.refresh();
    const latest = this.installed.at(-1) ?? null;
    const { record, compiled, activeAt } = this.draft(input, latest);
    const impact: VersionImpact =
      latest === null ? { tiers: {}, grantPairs: [] } : versionImpact(latest.compiled, compiled, record.diff);
    const documents = { before: latest?.record.document ?? null, after: record.document };
    return {
      dryRun: true,
      version: record.version,
      diff: record.diff,
      effectiveFrom: new Date(activeAt).toISOString(),
      impact: await changeImpact(this.deps, documents, impact, input.confirmed, record.createdAt),
      explained: explainBothLanguages(compiled, documents.before, documents.after),
    };
  }

  /** The version a PUT of `input` creates after `latest`, compiled, with when it comes into force. */
  private draft(input: PutInput, latest: InstalledVersion | null) {
    const now = this.deps.clock.now();
    const record: CatalogVersionRecord = {
      version: (latest?.record.version ?? 0) + 1,
      document: input.document,
      diff: diffCatalogs(latest?.record.document ?? null, input.document),
      notice: input.notice,
      effectiveFrom: input.effectiveFrom,
      policy: input.policy,
      createdAt: new Date(now),
    };
    const compiled = compileCatalog(record.document, record.version, now);
    return { record, compiled, activeAt: activeAtOf(record) };
  }

  async versions(): Promise<(CatalogVersionSummary & { status: VersionStatus; activeAt: Date })[]> {
    const current = this.peek()?.version ?? 0;
    const now = this.deps.clock.now();
    return (await this.deps.store.list()).map((v) => {
      const activeAt = activeAtOf(v);
      const status: VersionStatus =
        v.version === current
          ? "in_force"
          : v.version > current && activeAt > now
            ? "scheduled"
            : "superseded";
      return { ...v, status, activeAt: new Date(activeAt) };
    });
  }

  /** Every stored version with its document and diff, oldest first, each with when it comes into force. */
  async history(): Promise<(CatalogVersionRecord & { activeAt: Date })[]> {
    return (await this.deps.store.all()).map((v) => ({ ...v, activeAt: new Date(activeAtOf(v)) }));
  }

  async version(n: number): Promise<CatalogVersionRecord> {
    const record = await this.deps.store.get(n);
    if (!record) throw new AppError("CATALOG_VERSION_NOT_FOUND", `Catalog version ${n} does not exist.`);
    return record;
  }

  /**
   * A stored version with its compiled form. Inside a transaction pass its catalog store: on PGlite
   * the transaction holds the only connection.
   */
  async installedVersion(version: number, store: CatalogStore = this.deps.store): Promise<InstalledVersion> {
    let found = this.installed.find((v) => v.record.version === version);
    if (!found) {
      await this.refresh(store);
      found = this.installed.find((v) => v.record.version === version);
    }
    if (!found) throw new AppError("CATALOG_VERSION_NOT_FOUND", `Catalog version ${version} does not exist.`);
    return found;
  }

  /** A past version, compiled (kept: versions are immutable). */
  async compiled(version: number, store: CatalogStore = this.deps.store): Promise<CompiledCatalog> {
    if (this.current?.version === version) return this.current;
    return (await this.installedVersion(version, store)).compiled;
  }

  private add(record: CatalogVersionRecord, compiled?: CompiledCatalog): void {
    if (this.installed.some((v) => v.record.version === record.version)) return;
    this.installed.push({
      record,
      compiled: compiled ?? compileCatalog(record.document, record.version, record.createdAt.getTime()),
      activeAt: activeAtOf(record),
    });
    this.installed.sort((a, b) => a.record.version - b.record.version);
  }

  /** Puts the right version in force for now, and tells listeners when anything moved. */
  private advance(notify: boolean): void {
    const { index, nextSwitchAt } = versionInForce(this.installed, this.deps.clock.now());
    this.nextSwitchAt = nextSwitchAt;
    if (index >= 0 && this.current?.version !== this.installed[index].record.version) {
      const versions = this.installed.map((v) => ({
        compiled: v.compiled,
        diff: v.record.diff,
        activeAt: v.activeAt,
      }));
      this.current = catalogWithHistory(versions, index);
    }
    if (notify && this.current) for (const listener of this.listeners) listener(this.current);
  }
}

/** The change in the words members will read, in both languages, times in China's time zone. */
function explainBothLanguages(
  catalog: CompiledCatalog,
  before: CatalogDocument | null,
  after: CatalogDocument,
): Record<Locale, ExplainedCatalogChange> {
  const env = (locale: Locale) => ({ locale, timezone: DEFAULT_TIME_ZONE, catalog });
  return {
    en: explainCatalogChange(env("en"), before, after),
    "zh-CN": explainCatalogChange(env("zh-CN"), before, after),
  };
}
