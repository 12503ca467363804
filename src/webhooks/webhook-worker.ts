import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Stores, Transact } from "../db/stores.js";
import { disableReason, retryDelayMs, type WebhookPolicy } from "./webhook-policy.js";
import { sendDelivery } from "./webhook-sender.js";
import type { WebhookDelivery, WebhookStore } from "./webhook-store.js";

/** The alert event written (log and outbox) when an endpoint is disabled for failing. */
export const ENDPOINT_DISABLED_EVENT = "webhook_endpoint.disabled";

export interface WebhookWorkerDeps {
  store: WebhookStore;
  /** An attempt's outcome, and the alert event when it disables the endpoint, commit together. */
  transaction: Transact<Pick<Stores, "webhooks" | "outbox">>;
  clock: Clock;
  policy: WebhookPolicy;
  onError?: (error: unknown) => void;
  /** Told of each failed attempt (metrics), with `http_<status>` or `network` as the reason. */
  onFailedAttempt?: (reason: string) => void;
}

export interface DeliveryRunSummary {
  succeeded: number;
  retried: number;
  failed: number;
}

/**
 * Sends due webhook deliveries. A delivery is leased (SKIP LOCKED, so several processes share the
 * queue and each sends it once per attempt), sent outside any transaction (an HTTP call must not
 * hold a database connection — PGlite has one), then its outcome is recorded in a short
 * transaction: the attempt, the next try with backoff, and the endpoint's failure streak, which
 * disables it, with an alert event, past the policy's limits.
 */
export class WebhookWorker {
  readonly workerId = `webhooks-${process.pid}-${randomBytes(4).toString("hex")}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: WebhookWorkerDeps) {}

  /** Sends every delivery due now, batch after batch, until none is left. */
  async runDue(): Promise<DeliveryRunSummary> {
    const summary: DeliveryRunSummary = { succeeded: 0, retried: 0, failed: 0 };
    for (;;) {
      const now = this.deps.clock.now();
      // The lease outlives the attempt's timeout: no other worker presumes this one dead meanwhile.
      const until = new Date(now + this.deps.policy.timeoutMs + 30_000);
      const batch = await this.deps.store.lease(
        this.workerId,
        new Date(now),
        until,
        this.deps.policy.concurrency,
      );
      if (batch.length === 0) return summary;
      await Promise.all(batch.map((d) => this.attempt(d, summary)));
    }
  }

  /** Polls for due deliveries until stop(). */
  start(): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.running ??= this.runDue()
        .catch((error) => this.deps.onError?.(error))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.deps.policy.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async attempt(delivery: WebhookDelivery, summary: DeliveryRunSummary): Promise<void> {
    const endpoint = await this.deps.store.getEndpoint(delivery.endpointId);
    if (!endpoint) return;
    const result = await sendDelivery(
      endpoint,
      { id: delivery.id, body: delivery.body },
      new Date(this.deps.clock.now()),
      { timeoutMs: this.deps.policy.timeoutMs, allowPrivate: this.deps.policy.allowPrivateNetworks },
    );
    const ok = result.error === null;
    if (!ok)
      this.deps.onFailedAttempt?.(result.statusCode === null ? "network" : `http_${result.statusCode}`);
    const giveUp = !ok && delivery.attempts >= this.deps.policy.maxAttempts;
    const status = ok ? "succeeded" : giveUp ? "failed" : "pending";
    const retryAt =
      status === "pending"
        ? new Date(result.at.getTime() + retryDelayMs(this.deps.policy, delivery.attempts))
        : null;
    await this.deps.transaction(async (stores) => {
      if (!(await stores.webhooks.recordAttempt(delivery, this.workerId, result, { status, retryAt })))
        return;
      if (ok) {
        await stores.webhooks.countSuccess(endpoint.id);
        return;
      }
      const counted = await stores.webhooks.countFailure(endpoint.id, result.at);
      const reason = counted?.enabled ? disableReason(this.deps.policy, counted, result.at.getTime()) : null;
      if (counted && reason !== null) {
        await stores.webhooks.disable(endpoint.id, reason, result.at);
        await stores.outbox.append({
          memberId: null,
          type: ENDPOINT_DISABLED_EVENT,
          payload: {
            endpointId: endpoint.id,
            url: endpoint.url,
            reason,
            consecutiveFailures: counted.consecutiveFailures,
            failingSince: counted.failingSince?.toISOString() ?? null,
            disabledAt: result.at.toISOString(),
          },
        });
      }
    });
    if (ok) summary.succeeded++;
    else if (giveUp) summary.failed++;
    else summary.retried++;
  }
}
