import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { AppMetrics } from "../metrics/app-metrics.js";
import { MINUTES_KEPT } from "../metrics/decision-minutes.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import type { StatsStore } from "./stats-store.js";

/** Bucket widths the console may ask for, in minutes. */
export const STATS_BUCKETS = { PT1M: 1, PT5M: 5, PT15M: 15, PT1H: 60, PT6H: 360, P1D: 1_440 } as const;
export type StatsBucket = keyof typeof STATS_BUCKETS;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The widest range one request may cover. */
export const MAX_RANGE_MS = 31 * DAY_MS;
/** The most decision buckets one answer may carry. */
export const MAX_BUCKETS = 1_440;
/** When no bucket is asked for: the smallest width that keeps the series at most this long. */
const DEFAULT_MAX_BUCKETS = 300;

export interface StatsQuery {
  from?: string;
  to?: string;
  bucket?: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", `The stats query is invalid: ${path.slice(1)} ${message}.`, [
    { path, message, in: "querystring" },
  ]);
}

/** The operator console's charts: decisions (this node, in memory), payment-to-grant and holds (database). */
export class StatsService {
  constructor(
    private readonly deps: {
      metrics: AppMetrics;
      store: StatsStore;
      clock: Clock;
      nodeId: string;
      /** Writes latency samples still in memory, so a read sees every payment applied before it. */
      flushLatencies?: () => Promise<void>;
    },
  ) {}

  async read(query: StatsQuery) {
    const now = this.deps.clock.now();
    const time = (path: string, value: string | undefined, fallback: number) => {
      if (value === undefined) return fallback;
      const parsed = parseIsoDateTime(value);
      if (parsed === null) throw invalid(path, "must be an ISO-8601 date-time with an offset");
      return parsed;
    };
    // By default up to the end of the current minute, so the decisions just made are in the last bucket.
    const to = time("/to", query.to, (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS);
    const from = time("/from", query.from, to - DAY_MS);
    if (from >= to) throw invalid("/from", "must be before to");
    if (to - from > MAX_RANGE_MS) throw invalid("/from", "must be at most 31 days before to");
    const bucket = (query.bucket as StatsBucket | undefined) ?? defaultBucket(to - from);
    const width = STATS_BUCKETS[bucket];
    if (Math.ceil((to - from) / (width * MINUTE_MS)) > MAX_BUCKETS)
      throw invalid("/bucket", `gives more than ${MAX_BUCKETS} buckets over this range`);

    const series = this.deps.metrics.minutes.series(from, to, width, now).map((b) => {
      const byReason = Object.fromEntries([...b.counts].sort(([x], [y]) => x.localeCompare(y)));
      const total = Object.values(byReason).reduce((sum, n) => sum + n, 0);
      return { start: new Date(b.start).toISOString(), total, byReason };
    });
    const totals: Record<string, number> = {};
    for (const b of series)
      for (const [reason, n] of Object.entries(b.byReason)) totals[reason] = (totals[reason] ?? 0) + n;
    await this.deps.flushLatencies?.();
    const [latency, holds] = await Promise.all([
      this.deps.store.paymentLatency(new Date(from), new Date(to)),
      this.deps.store.holdsByReason(new Date(from), new Date(to)),
    ]);
    const keptFrom = (Math.floor(now / MINUTE_MS) - MINUTES_KEPT + 1) * MINUTE_MS;
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucket,
      decisions: {
        scope: "node" as const,
        nodeId: this.deps.nodeId,
        note: "Decisions answered by this node, counted in memory per minute for the last 24 hours; other nodes count their own, and a restart starts empty.",
        keptFrom: new Date(keptFrom).toISOString(),
        totals,
        series,
      },
      paymentToGrant: {
        source: "database" as const,
        count: latency.count,
        p50Ms: latency.p50,
        p95Ms: latency.p95,
        p99Ms: latency.p99,
        maxMs: latency.max,
        histogram: latency.buckets.map((b) => ({ ltMs: b.lt, count: b.count })),
      },
      holds: { source: "database" as const, byReason: holds },
    };
  }
}

function defaultBucket(rangeMs: number): StatsBucket {
  for (const [name, minutes] of Object.entries(STATS_BUCKETS))
    if (Math.ceil(rangeMs / (minutes * MINUTE_MS)) <= DEFAULT_MAX_BUCKETS) return name as StatsBucket;
  return "P1D";
}
