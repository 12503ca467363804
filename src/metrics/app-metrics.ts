import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { ClusterBus } from "../cluster/cluster-bus.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import type { StatsStore } from "../stats/stats-store.js";
import { DecisionMinutes } from "./decision-minutes.js";
import { DECISION_BUCKETS_S, IntegerHistogram, PAYMENT_BUCKETS_S } from "./integer-histogram.js";

/** What the decision service reports of each decision (decision-service.ts). */
export interface DecisionRecorder {
  /** One decision: its benefit, its first reason code, how long it took (ms) and when (epoch ms). */
  decided(benefit: string, reason: string, elapsedMs: number, atMs: number): void;
}

/**
 * This process's metrics, one registry per app (tests run several apps in one process). The hot path
 * only adds to plain integers (`decided`); prom-client objects are filled from them when scraped.
 * Other features report through `webhookFailed` and `countStreamsWith`.
 */
export class AppMetrics implements DecisionRecorder {
  readonly registry = new Registry();
  /** benefit → first reason code → decisions. */
  private readonly decisions = new Map<string, Map<string, number>>();
  private readonly decisionLatency = new IntegerHistogram(DECISION_BUCKETS_S);
  private readonly paymentToGrant = new IntegerHistogram(PAYMENT_BUCKETS_S);
  /** Decisions per minute and reason code, the last 24 hours (GET /v1/stats). */
  readonly minutes = new DecisionMinutes();
  private readonly webhookFailures: Counter<"reason">;
  private streamCount: () => number = () => 0;
  private defaultsOn = false;

  constructor(
    cache: SnapshotCache,
    cluster: ClusterBus,
    stats: StatsStore,
    /** A bearer token that may read GET /metrics and nothing else (PERKWISE_METRICS_TOKEN). */
    readonly token?: string,
  ) {
    const registers = [this.registry];
    const decisions = this.decisions;
    new Counter({
      name: "perkwise_decisions_total",
      help: "Decisions by benefit and first reason code (GRANTED when allowed)",
      labelNames: ["benefit", "reason"] as const,
      registers,
      collect() {
        this.reset();
        for (const [benefit, reasons] of decisions)
          for (const [reason, n] of reasons) this.inc({ benefit, reason }, n);
      },
    });
    this.registry.registerMetric(
      this.decisionLatency.metric(
        "perkwise_decision_duration_seconds",
        "Time to decide one check, from the request's parsed body to its decision (a cache miss includes the database read)",
      ),
    );
    this.registry.registerMetric(
      this.paymentToGrant.metric(
        "perkwise_payment_to_grant_seconds",
        "Payment event received to its grants committed (payment.succeeded events that were applied)",
      ),
    );
    new Gauge({
      name: "perkwise_outbox_oldest_undelivered_seconds",
      help: "Age of the oldest outbox event not yet delivered (0 when every event is delivered)",
      registers,
      async collect() {
        this.set(await stats.oldestUndeliveredAgeSeconds());
      },
    });
    this.webhookFailures = new Counter({
      name: "perkwise_webhook_failures_total",
      help: "Outgoing webhook delivery attempts that failed, by reason",
      labelNames: ["reason"] as const,
      registers,
    });
    const streams = () => this.streamCount();
    new Gauge({
      name: "perkwise_sse_clients",
      help: "Server-Sent Events clients connected to this process",
      registers,
      collect() {
        this.set(streams());
      },
    });
    const cacheStat = (name: string, help: string, read: () => number, type: "counter" | "gauge") => {
      const options = {
        name,
        help,
        registers,
        collect(this: Gauge | Counter) {
          this.reset();
          this.inc(read());
        },
      };
      if (type === "counter") new Counter(options);
      else new Gauge(options);
    };
    cacheStat(
      "perkwise_snapshot_cache_hits_total",
      "Decisions served from a cached snapshot",
      () => cache.stats().hits,
      "counter",
    );
    cacheStat(
      "perkwise_snapshot_cache_misses_total",
      "Snapshot loads from the database",
      () => cache.stats().misses,
      "counter",
    );
    cacheStat(
      "perkwise_snapshot_cache_hit_ratio",
      "Hits / (hits + misses) since start (0 before the first read)",
      () => {
        const { hits, misses } = cache.stats();
        return hits + misses === 0 ? 0 : hits / (hits + misses);
      },
      "gauge",
    );
    cacheStat(
      "perkwise_snapshot_cache_members",
      "Snapshots held in memory",
      () => cache.stats().size,
      "gauge",
    );
    cacheStat(
      "perkwise_cluster_connected",
      "1 while this node listens to the other nodes (LISTEN/NOTIFY), else 0",
      () => (cluster.connected ? 1 : 0),
      "gauge",
    );
    cacheStat(
      "perkwise_cluster_resyncs_total",
      "Connections of the LISTEN link, each followed by a full cache drop (the first at start)",
      () => cluster.resyncCount,
      "counter",
    );
  }

  decided(benefit: string, reason: string, elapsedMs: number, atMs: number): void {
    let reasons = this.decisions.get(benefit);
    if (reasons === undefined) {
      reasons = new Map();
      this.decisions.set(benefit, reasons);
    }
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    this.decisionLatency.observe(elapsedMs / 1000);
    this.minutes.record(reason, atMs);
  }

  paymentGranted(seconds: number): void {
    this.paymentToGrant.observe(seconds);
  }

  /** For the webhook sender: one failed delivery attempt (`reason`: e.g. `http_500`, `timeout`, `network`). */
  webhookFailed(reason: string): void {
    this.webhookFailures.inc({ reason });
  }

  /** Where the SSE client count is read on scrape (the event hub's connections). */
  countStreamsWith(read: () => number): void {
    this.streamCount = read;
  }

  /** The Prometheus text; Node's default metrics join on the first scrape. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    if (!this.defaultsOn) {
      this.defaultsOn = true;
      collectDefaultMetrics({ register: this.registry });
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
