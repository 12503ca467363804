import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { LifecyclePart } from "../lifecycle.js";
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from "./webhook-policy.js";
import { WebhookService } from "./webhook-service.js";
import { WebhookWorker } from "./webhook-worker.js";

/** Endpoints and their deliveries: queued as events are numbered, sent by the worker. */
export function createWebhooksFeature(deps: {
  data: Pick<DataAccess, "webhooks" | "transaction">;
  dispatcher: EventDispatcher;
  clock: Clock;
  policy?: Partial<WebhookPolicy>;
  onError?: (error: unknown) => void;
  onFailedAttempt?: (reason: string) => void;
}) {
  const { data, clock } = deps;
  const policy = { ...DEFAULT_WEBHOOK_POLICY, ...deps.policy };
  // Each event is numbered once, so the deliveries made in the numbering transaction are made once.
  deps.dispatcher.onSequenced(async (stores, numbered, now) => {
    await stores.webhooks.enqueue(numbered, now);
  });
  const webhookWorker = new WebhookWorker({
    store: data.webhooks,
    transaction: data.transaction,
    clock,
    policy,
    onError: deps.onError,
    onFailedAttempt: deps.onFailedAttempt,
  });
  return {
    webhooks: new WebhookService({
      store: data.webhooks,
      clock,
      allowPrivateNetworks: policy.allowPrivateNetworks,
    }),
    webhookWorker,
    worker: {
      name: "webhook worker",
      start: () => webhookWorker.start(),
      stop: () => webhookWorker.stop(),
    } satisfies LifecyclePart,
  };
}
