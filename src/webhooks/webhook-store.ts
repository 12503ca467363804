import { type Selectable, sql } from "kysely";
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { LoggedEvent } from "../events/logged-event.js";
import { newId } from "../ids.js";

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Event types, `prefix.*` patterns, or `*` for every event. */
  events: string[];
  description: string | null;
  secret: string;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = "pending" | "running" | "succeeded" | "failed";

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: number;
  eventType: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface WebhookAttempt {
  attempt: number;
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/** The outcome of one attempt, as the worker records it. */
export interface AttemptResult {
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface EndpointChanges {
  url?: string;
  events?: string[];
  description?: string | null;
  /** true re-enables (and forgets the failure streak); false disables by hand. */
  enabled?: boolean;
}

/** Outgoing webhook endpoints and their deliveries, leased with FOR UPDATE SKIP LOCKED like jobs. */
export interface WebhookStore {
  createEndpoint(
    input: { url: string; events: string[]; description: string | null; secret: string },
    now: Date,
  ): Promise<WebhookEndpoint>;
  listEndpoints(): Promise<WebhookEndpoint[]>;
  getEndpoint(id: string): Promise<WebhookEndpoint | null>;
  /** Locks the endpoint row to the end of the transaction. */
  lockEndpoint(id: string): Promise<WebhookEndpoint | null>;
  updateEndpoint(id: string, changes: EndpointChanges, now: Date): Promise<WebhookEndpoint | null>;
  deleteEndpoint(id: string): Promise<boolean>;
  /** A delivery per enabled endpoint whose subscription matches, per event (numbering transaction). */
  enqueue(events: LoggedEvent[], now: Date): Promise<number>;
  /** Leases due deliveries of enabled endpoints to `worker` until `until`, attempts counted. */
  lease(worker: string, now: Date, until: Date, limit: number): Promise<WebhookDelivery[]>;
  /** Records an attempt of a delivery `worker` holds: its outcome and, when not null, its next try. */
  recordAttempt(
    delivery: WebhookDelivery,
    worker: string,
    result: AttemptResult,
    outcome: { status: "succeeded" | "failed" | "pending"; retryAt: Date | null },
  ): Promise<boolean>;
  /** Counts a failed attempt against the endpoint; returns it as it is now. */
  countFailure(endpointId: string, now: Date): Promise<WebhookEndpoint | null>;
  /** A success ends the endpoint's failure streak. */
  countSuccess(endpointId: string): Promise<void>;
  disable(endpointId: string, reason: string, now: Date): Promise<void>;
  listDeliveries(
    endpointId: string,
    limit: number,
  ): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }[]>;
  getDelivery(endpointId: string, deliveryId: string): Promise<WebhookDelivery | null>;
  /** Puts a finished (or waiting) delivery back in the queue, due now, with a fresh attempt budget. */
  replay(endpointId: string, deliveryId: string, now: Date): Promise<WebhookDelivery | null>;
}

/** Whether an endpoint subscribed to `events` gets an event of `type`. */
export function subscribes(events: readonly string[], type: string): boolean {
  return events.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));
}

type EndpointRow = Selectable<WebhookEndpointsTable>;
type DeliveryRow = Selectable<WebhookDeliveriesTable>;

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    secret: row.secret,
    enabled: row.enabled,
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since === null ? null : new Date(row.failing_since),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: Number(row.event_seq),
    eventType: row.event_type,
    body: row.body,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** The body every endpoint gets for an event: Standard Webhooks' `{type, timestamp, data}` and the event id. */
function deliveryBody(event: LoggedEvent): string {
  return `{"type":${JSON.stringify(event.type)},"timestamp":"${event.createdAt.toISOString()}","eventId":${event.seq},"data":${event.data}}`;
}

export function createWebhookStore(db: Executor): WebhookStore {
  return {
    async createEndpoint(input, now) {
      const row = await db
        .insertInto("webhook_endpoints")
        .values({
          id: newId("whe"),
          url: input.url,
          events: JSON.stringify(input.events),
          description: input.description,
          secret: input.secret,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEndpoint(row);
    },
    async listEndpoints() {
      const rows = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toEndpoint);
    },
    async getEndpoint(id) {
      const row = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async lockEndpoint(id) {
      const row = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async updateEndpoint(id, changes, now) {
      const reenable =
        changes.enabled === true
          ? {
              enabled: true,
              disabled_at: null,
              disabled_reason: null,
              consecutive_failures: 0,
              failing_since: null,
            }
          : changes.enabled === false
            ? { enabled: false, disabled_at: now, disabled_reason: "disabled by an admin" }
            : {};
      const row = await db
        .updateTable("webhook_endpoints")
        .set({
          ...(changes.url !== undefined ? { url: changes.url } : {}),
          ...(changes.events !== undefined ? { events: JSON.stringify(changes.events) } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...reenable,
          updated_at: now,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async deleteEndpoint(id) {
      const rows = await db.deleteFrom("webhook_endpoints").where("id", "=", id).returning("id").execute();
      return rows.length > 0;
    },
    async enqueue(events, now) {
      const endpoints = await db
        .selectFrom("webhook_endpoints")
        .select(["id", "events"])
        .where("enabled", "=", true)
        .execute();
      if (endpoints.length === 0) return 0;
      const rows = events.flatMap((event) =>
        endpoints
          .filter((e) => subscribes(e.events, event.type))
          .map((e) => ({
            id: newId("whd"),
            endpoint_id: e.id,
            event_seq: event.seq,
            event_type: event.type,
            body: deliveryBody(event),
            status: "pending",
            next_attempt_at: now,
            created_at: now,
          })),
      );
      if (rows.length === 0) return 0;
      await db
        .insertInto("webhook_deliveries")
        .values(rows)
        .onConflict((oc) => oc.columns(["endpoint_id", "event_seq"]).doNothing())
        .execute();
      return rows.length;
    },
    async lease(worker, now, until, limit) {
      // Due pending ones and running ones whose worker died (its lease lapsed), of enabled endpoints;
      // rows another worker is leasing right now are skipped, not waited for.
      const { rows } = await sql<DeliveryRow>`
        with picked as (
          select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
          where e.enabled and d.status in ('pending', 'running') and d.next_attempt_at <= ${now}
            and (d.status = 'pending' or d.locked_until <= ${now})
          order by d.next_attempt_at, d.id limit ${limit} for update of d skip locked)
        update webhook_deliveries d set status = 'running', locked_by = ${worker}, locked_until = ${until},
          attempts = attempts + 1
        from picked where d.id = picked.id
        returning d.*`.execute(db);
      return rows.map(toDelivery).sort((a, b) => a.eventId - b.eventId);
    },
    async recordAttempt(delivery, worker, result, outcome) {
      const updated = await db
        .updateTable("webhook_deliveries")
        .set({
          status: outcome.status,
          next_attempt_at: outcome.retryAt ?? result.at,
          locked_by: null,
          locked_until: null,
          last_status_code: result.statusCode,
          last_error: result.error,
          finished_at: outcome.status === "pending" ? null : result.at,
        })
        .where("id", "=", delivery.id)
        .where("status", "=", "running")
        .where("locked_by", "=", worker)
        .returning("id")
        .execute();
      if (updated.length === 0) return false;
      await db
        .insertInto("webhook_attempts")
        .values({
          delivery_id: delivery.id,
          // Numbered over the delivery's whole life: a replay starts a fresh budget, not a fresh log.
          attempt: sql<number>`(select count(*) + 1 from webhook_attempts where delivery_id = ${delivery.id})`,
          at: result.at,
          status_code: result.statusCode,
          latency_ms: result.latencyMs,
          error: result.error,
        })
        .execute();
      return true;
    },
    async countFailure(endpointId, now) {
      const row = await db
        .updateTable("webhook_endpoints")
        .set((eb) => ({
          consecutive_failures: sql`${eb.ref("consecutive_failures")} + 1`,
          failing_since: sql`coalesce(${eb.ref("failing_since")}, ${now}::timestamptz)`,
        }))
        .where("id", "=", endpointId)
        .returningAll()
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async countSuccess(endpointId) {
      await db
        .updateTable("webhook_endpoints")
        .set({ consecutive_failures: 0, failing_since: null })
        .where("id", "=", endpointId)
        .where("consecutive_failures", ">", 0)
        .execute();
    },
    async disable(endpointId, reason, now) {
      await db
        .updateTable("webhook_endpoints")
        .set({ enabled: false, disabled_at: now, disabled_reason: reason, updated_at: now })
        .where("id", "=", endpointId)
        .execute();
    },
    async listDeliveries(endpointId, limit) {
      const deliveries = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("endpoint_id", "=", endpointId)
        .orderBy("event_seq", "desc")
        .limit(limit)
        .execute();
      if (deliveries.length === 0) return [];
      const attempts = await db
        .selectFrom("webhook_attempts")
        .selectAll()
        .where(
          "delivery_id",
          "in",
          deliveries.map((d) => d.id),
        )
        .orderBy("delivery_id")
        .orderBy("attempt")
        .orderBy("id")
        .execute();
      return deliveries.map((row) => ({
        delivery: toDelivery(row),
        attempts: attempts
          .filter((a) => a.delivery_id === row.id)
          .map((a) => ({
            attempt: a.attempt,
            at: new Date(a.at),
            statusCode: a.status_code,
            latencyMs: a.latency_ms,
            error: a.error,
          })),
      }));
    },
    async getDelivery(endpointId, deliveryId) {
      const row = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("id", "=", deliveryId)
        .where("endpoint_id", "=", endpointId)
        .executeTakeFirst();
      return row ? toDelivery(row) : null;
    },
    async replay(endpointId, deliveryId, now) {
      const row = await db
        .updateTable("webhook_deliveries")
        .set({
          status: "pending",
          attempts: 0,
          next_attempt_at: now,
          finished_at: null,
          locked_by: null,
          locked_until: null,
        })
        .where("id", "=", deliveryId)
        .where("endpoint_id", "=", endpointId)
        .where("status", "!=", "running")
        .returningAll()
        .executeTakeFirst();
      return row ? toDelivery(row) : null;
    },
  };
}
