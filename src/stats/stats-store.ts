import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";

/** Payment events whose grants were committed, with what that took (migration 0011). */
export interface PaymentLatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  /** Events per range: from the previous bound (inclusive) to `lt` in ms (exclusive; null: no bound). */
  buckets: { lt: number | null; count: number }[];
}

/** Upper bounds in ms of the payment-to-grant histogram; null is the overflow bucket. */
export const PAYMENT_LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000];

/** Reads for metrics and the console's charts; each is one aggregate query. */
export function createStatsStore(db: Executor) {
  return {
    /**
     * Age in seconds of the oldest outbox row not yet delivered (0 when none), by the database clock.
     * The oldest by id, through the partial index of undelivered rows: one row read, however long the queue.
     */
    async oldestUndeliveredAgeSeconds(): Promise<number> {
      const { rows } = await sql<{ age: number }>`
        select extract(epoch from now() - created_at)::float8 as age
        from outbox where delivered_at is null order by id limit 1`.execute(db);
      return Math.max(0, rows[0]?.age ?? 0);
    },

    /** Applied payment events received in [from, to): percentiles and a histogram of grant_latency_ms. */
    async paymentLatency(from: Date, to: Date): Promise<PaymentLatencySummary> {
      const bounds = PAYMENT_LATENCY_BOUNDS_MS;
      const { rows } = await sql<{
        count: number;
        p50: number | null;
        p95: number | null;
        p99: number | null;
        max: number | null;
      }>`
        select count(*)::int as count,
          percentile_cont(0.5) within group (order by grant_latency_ms)::float8 as p50,
          percentile_cont(0.95) within group (order by grant_latency_ms)::float8 as p95,
          percentile_cont(0.99) within group (order by grant_latency_ms)::float8 as p99,
          max(grant_latency_ms)::float8 as max
        from payment_events
        where grant_latency_ms is not null and received_at >= ${from} and received_at < ${to}`.execute(db);
      // width_bucket: 0 below the first bound, i for bounds[i-1] <= x < bounds[i], n from the last bound on.
      const { rows: histogram } = await sql<{ i: number; count: number }>`
        select width_bucket(grant_latency_ms::float8, ${`{${bounds.join(",")}}`}::float8[]) as i, count(*)::int as count
        from payment_events
        where grant_latency_ms is not null and received_at >= ${from} and received_at < ${to}
        group by 1`.execute(db);
      const counts = new Map(histogram.map((h) => [h.i, h.count]));
      return {
        ...rows[0],
        buckets: [...bounds, null].map((lt, i) => ({ lt, count: counts.get(i) ?? 0 })),
      };
    },

    /** Holds placed in [from, to), per reason: how many, and how many are still open. */
    async holdsByReason(from: Date, to: Date) {
      const { rows } = await sql<{ reason: string; placed: number; open: number }>`
        select reason, count(*)::int as placed, count(*) filter (where status = 'open')::int as open
        from holds where placed_at >= ${from} and placed_at < ${to}
        group by reason order by reason`.execute(db);
      return rows;
    },
  };
}

export type StatsStore = ReturnType<typeof createStatsStore>;
