/** Minutes kept: the last 24 hours. */
export const MINUTES_KEPT = 24 * 60;
const MINUTE_MS = 60_000;

/** One minute's decisions by primary reason code. */
interface MinuteSlot {
  minute: number;
  counts: Map<string, number>;
}

/**
 * This process's decisions per minute and reason code, for the last 24 hours, in a ring of 1,440
 * slots: recording is a division, a comparison and a map update; nothing is stored anywhere else,
 * so each node answers for itself and a restart starts empty.
 */
export class DecisionMinutes {
  private readonly slots: MinuteSlot[] = Array.from({ length: MINUTES_KEPT }, () => ({
    minute: -1,
    counts: new Map(),
  }));

  record(reason: string, atMs: number): void {
    const minute = Math.floor(atMs / MINUTE_MS);
    const slot = this.slots[minute % MINUTES_KEPT];
    if (slot.minute !== minute) {
      slot.minute = minute;
      slot.counts.clear();
    }
    slot.counts.set(reason, (slot.counts.get(reason) ?? 0) + 1);
  }

  /**
   * Counts per reason in buckets of `bucketMinutes`, for the minutes in [from, to) that are among the
   * last 24 hours before `now`; buckets start at `from` and carry only reasons that occurred.
   */
  series(fromMs: number, toMs: number, bucketMinutes: number, nowMs: number) {
    const first = Math.floor(fromMs / MINUTE_MS);
    const end = Math.ceil(toMs / MINUTE_MS);
    const oldestKept = Math.floor(nowMs / MINUTE_MS) - MINUTES_KEPT + 1;
    const buckets: { start: number; counts: Map<string, number> }[] = [];
    for (let start = first; start < end; start += bucketMinutes)
      buckets.push({ start: start * MINUTE_MS, counts: new Map() });
    for (const slot of this.slots) {
      if (slot.minute < first || slot.minute >= end || slot.minute < oldestKept) continue;
      const bucket = buckets[Math.floor((slot.minute - first) / bucketMinutes)];
      for (const [reason, n] of slot.counts) bucket.counts.set(reason, (bucket.counts.get(reason) ?? 0) + n);
    }
    return buckets;
  }
}
