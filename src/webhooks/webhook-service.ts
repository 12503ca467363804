import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import { AppError, type ErrorDetail } from "../errors.js";
import { BlockedAddressError, isPublicAddress, literalAddress } from "./webhook-address.js";
import type {
  EndpointChanges,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookStore,
} from "./webhook-store.js";

const MAX_URL = 2048;

/**
 * Problems with a webhook URL: http(s) only, no credentials in it, no fragment, and — unless private
 * networks are allowed — not a private IP address (a name is checked on each delivery's connection).
 */
export function urlProblems(value: string, allowPrivate: boolean, path = "/url"): ErrorDetail[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: "is not an absolute URL" }];
  }
  const problems: ErrorDetail[] = [];
  if (url.protocol !== "http:" && url.protocol !== "https:")
    problems.push({ path, message: "must be http or https" });
  if (url.username !== "" || url.password !== "")
    problems.push({ path, message: "must not carry credentials; deliveries are signed instead" });
  if (url.hash !== "") problems.push({ path, message: "must not have a fragment" });
  if (value.length > MAX_URL) problems.push({ path, message: `is longer than ${MAX_URL} characters` });
  const literal = literalAddress(url);
  if (!allowPrivate && literal !== null && !isPublicAddress(literal))
    problems.push({ path, message: new BlockedAddressError(url.hostname, literal).message });
  return problems;
}

/** An endpoint as the API shows it: never its secret, except once at creation. */
export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    consecutiveFailures: endpoint.consecutiveFailures,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function deliveryView(delivery: WebhookDelivery, attempts: WebhookAttempt[] = []) {
  return {
    id: delivery.id,
    eventId: String(delivery.eventId),
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    finishedAt: delivery.finishedAt?.toISOString() ?? null,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
    })),
  };
}

function checkUrl(url: string | undefined, allowPrivate: boolean): void {
  if (url === undefined) return;
  const problems = urlProblems(url, allowPrivate);
  if (problems.length > 0)
    throw new AppError("VALIDATION_FAILED", "The webhook URL is not acceptable.", problems);
}

/** Admin management of outgoing webhook endpoints, their delivery log, replay and re-enabling. */
export class WebhookService {
  /** `allowPrivateNetworks`: endpoints may be on loopback and private networks (WebhookPolicy). */
  constructor(private readonly deps: { store: WebhookStore; clock: Clock; allowPrivateNetworks: boolean }) {}

  /** Creates an endpoint; its signing secret is in this answer only. */
  async create(input: { url: string; events: string[]; description?: string }) {
    checkUrl(input.url, this.deps.allowPrivateNetworks);
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    const endpoint = await this.deps.store.createEndpoint(
      { url: input.url, events: [...new Set(input.events)], description: input.description ?? null, secret },
      new Date(this.deps.clock.now()),
    );
    return { ...endpointView(endpoint), secret };
  }

  async list() {
    return { endpoints: (await this.deps.store.listEndpoints()).map(endpointView) };
  }

  async get(id: string) {
    return endpointView(await this.require(id));
  }

  /** Changes an endpoint; `enabled: true` re-enables one disabled for failing, its streak forgotten. */
  async update(id: string, changes: EndpointChanges) {
    checkUrl(changes.url, this.deps.allowPrivateNetworks);
    const events = changes.events === undefined ? undefined : [...new Set(changes.events)];
    const updated = await this.deps.store.updateEndpoint(
      id,
      { ...changes, events },
      new Date(this.deps.clock.now()),
    );
    if (!updated) throw notFound(id);
    return endpointView(updated);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.store.deleteEndpoint(id))) throw notFound(id);
  }

  /** The latest deliveries, newest event first, each with its attempts. */
  async deliveries(id: string, limit: number) {
    await this.require(id);
    const rows = await this.deps.store.listDeliveries(id, limit);
    return { deliveries: rows.map((r) => deliveryView(r.delivery, r.attempts)) };
  }

  /** Sends a delivery again (due now, a fresh attempt budget); the endpoint must be enabled. */
  async replay(id: string, deliveryId: string) {
    const endpoint = await this.require(id);
    if (!endpoint.enabled)
      throw new AppError(
        "WEBHOOK_ENDPOINT_DISABLED",
        "The endpoint is disabled: re-enable it first (PATCH enabled: true).",
      );
    const existing = await this.deps.store.getDelivery(id, deliveryId);
    if (!existing)
      throw new AppError("WEBHOOK_DELIVERY_NOT_FOUND", `No delivery ${deliveryId} for endpoint ${id}.`);
    const replayed = await this.deps.store.replay(id, deliveryId, new Date(this.deps.clock.now()));
    if (!replayed)
      throw new AppError("CONFLICT", "The delivery is being attempted right now; try again shortly.");
    return deliveryView(replayed);
  }

  private async require(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.store.getEndpoint(id);
    if (!endpoint) throw notFound(id);
    return endpoint;
  }
}

function notFound(id: string): AppError {
  return new AppError("WEBHOOK_ENDPOINT_NOT_FOUND", `No webhook endpoint ${id}.`);
}
