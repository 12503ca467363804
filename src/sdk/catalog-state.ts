import type { HistoryVersion } from "../catalog/catalog-history.js";
import { catalogWithHistory, versionInForce } from "../catalog/catalog-in-force.js";
import type { CatalogDocument, CompiledCatalog } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import type { CatalogDiff } from "../catalog/diff-catalog.js";
import type { CatalogHistory } from "./client.js";

/**
 * The catalog versions a local evaluator knows, compiled once each, and the one in force at a given
 * time — chosen exactly as the server's CatalogService chooses (a scheduled version takes over at its
 * `inForceFrom` without another fetch).
 */
export class CatalogState {
  private versions: HistoryVersion[] = [];
  private current: CompiledCatalog | null = null;
  private nextSwitchAt = Number.NEGATIVE_INFINITY;

  /** The highest version number known (0: none). */
  get latestVersion(): number {
    return this.versions.at(-1)?.compiled.version ?? 0;
  }

  /** Takes the served history; versions already compiled are kept. */
  load(history: CatalogHistory): void {
    const known = new Map(this.versions.map((v) => [v.compiled.version, v]));
    this.versions = history.versions
      .map(
        (v) =>
          known.get(v.version) ?? {
            compiled: compileCatalog(v.document as CatalogDocument, v.version, Date.parse(v.createdAt)),
            diff: v.diff as unknown as CatalogDiff,
            activeAt: Date.parse(v.inForceFrom),
          },
      )
      .sort((a, b) => a.compiled.version - b.compiled.version);
    this.current = null;
    this.nextSwitchAt = Number.NEGATIVE_INFINITY;
  }

  /** The catalog in force at `now`, or null before the first version. Synchronous: the hot path. */
  at(now: number): CompiledCatalog | null {
    if (now >= this.nextSwitchAt) {
      const { index, nextSwitchAt } = versionInForce(this.versions, now);
      this.nextSwitchAt = nextSwitchAt;
      const version = index >= 0 ? this.versions[index].compiled.version : null;
      if (version !== this.current?.version) {
        this.current = index >= 0 ? catalogWithHistory(this.versions, index) : null;
      }
    }
    return this.current;
  }
}
