/**
 * An in-place insertion sort for the short arrays of checkout (options of a stacking group, coupons
 * of one template, leftover units of an allocation): Array.prototype.sort copies every array it
 * sorts, and at tens of calls per evaluation those copies are most of what the collector sweeps.
 * Longer arrays go to the built-in sort. Stable, like it.
 */
const INSERTION_LIMIT = 64;

export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > INSERTION_LIMIT) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], item) > 0) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
