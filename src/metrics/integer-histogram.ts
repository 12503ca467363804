import type { Metric } from "prom-client";

/** Decision latency: microseconds to a quarter second (a cache miss reads the database). */
export const DECISION_BUCKETS_S = [
  0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
  0.05, 0.1, 0.25,
];
/** Payment received → grants committed: a millisecond to ten seconds. */
export const PAYMENT_BUCKETS_S = [0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A histogram in plain integers: `observe` is a short loop and two additions, cheap enough for every
 * decision; the Prometheus text is built only on scrape (`metric`).
 */
export class IntegerHistogram {
  private readonly counts: number[];
  private sum = 0;
  private total = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array(bounds.length).fill(0);
  }

  observe(seconds: number): void {
    const { bounds, counts } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        counts[i]++;
        break;
      }
    }
    this.sum += seconds;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** Cumulative counts per upper bound, then +Inf, as Prometheus wants them. */
  cumulative(): { le: number; count: number }[] {
    let running = 0;
    const rows = this.bounds.map((le, i) => {
      running += this.counts[i];
      return { le, count: running };
    });
    rows.push({ le: Number.POSITIVE_INFINITY, count: this.total });
    return rows;
  }

  /** An object prom-client's registry renders like its own: `registry.registerMetric(h.metric(…))`. */
  metric(name: string, help: string): Metric {
    const type = "histogram";
    const get = async () => ({
      name,
      help,
      type,
      aggregator: "sum" as const,
      values: [
        ...this.cumulative().map((row) => ({
          metricName: `${name}_bucket`,
          labels: { le: row.le === Number.POSITIVE_INFINITY ? "+Inf" : row.le },
          value: row.count,
        })),
        { metricName: `${name}_sum`, labels: {}, value: this.sum },
        { metricName: `${name}_count`, labels: {}, value: this.total },
      ],
    });
    // prom-client's Metric type lists its own classes; the registry needs only name, help, type and get.
    return { name, help, type, aggregator: "sum", get, reset: () => {} } as unknown as Metric;
  }
}
