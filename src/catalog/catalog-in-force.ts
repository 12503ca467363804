/**
 * Which stored catalog version decides now, and that version compiled with the history decisions
 * need. Pure, so the server's CatalogService and the SDK's local evaluator choose alike.
 */
import { buildCatalogHistory, type HistoryVersion } from "./catalog-history.js";
import type { CompiledCatalog } from "./catalog-types.js";

/**
 * The index of the highest version whose time has come (-1: none yet), and when the next later one
 * takes over (Infinity: none scheduled). `versions` ascend by number.
 */
export function versionInForce(
  versions: readonly { activeAt: number }[],
  now: number,
): { index: number; nextSwitchAt: number } {
  let index = -1;
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].activeAt <= now) {
      index = i;
      break;
    }
  }
  let nextSwitchAt = Number.POSITIVE_INFINITY;
  for (let i = index + 1; i < versions.length; i++)
    nextSwitchAt = Math.min(nextSwitchAt, versions[i].activeAt);
  return { index, nextSwitchAt };
}

/** Version `index` of `versions` (ascending) with the history of every version up to it. */
export function catalogWithHistory(versions: readonly HistoryVersion[], index: number): CompiledCatalog {
  const history = buildCatalogHistory(versions.slice(0, index + 1));
  return Object.freeze({ ...versions[index].compiled, history });
}
