import { Type } from "@sinclair/typebox";
import { errors, NoContent } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { WebhookService } from "./webhook-service.js";

const tags = ["webhooks"];
const EndpointId = Type.String({ pattern: "^whe_[A-Za-z0-9_-]{16}$", description: "A webhook endpoint id." });
const DeliveryId = Type.String({
  pattern: "^whd_[A-Za-z0-9_-]{16}$",
  description: "A delivery id (its webhook-id).",
});
const EndpointParams = Type.Object({ endpointId: EndpointId }, { additionalProperties: false });
const DeliveryParams = Type.Object(
  { endpointId: EndpointId, deliveryId: DeliveryId },
  { additionalProperties: false },
);

const EventPattern = Type.String({
  pattern: "^(\\*|[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*(\\.\\*)?)$",
  maxLength: 100,
  description: "An event type (entitlements.changed), a prefix pattern (coupon.*), or * for every event",
});
const Url = Type.String({ minLength: 1, maxLength: 2048, description: "http(s) URL, without credentials" });
const Events = Type.Array(EventPattern, { minItems: 1, maxItems: 50 });
const Description = Type.String({ maxLength: 500 });

const CreateBody = Type.Object(
  { url: Url, events: Events, description: Type.Optional(Description) },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    enabled: Type.Optional(
      Type.Boolean({
        description: "true re-enables an endpoint disabled for failing (its failure streak forgotten)",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const DeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

const Nullable = <T extends import("@sinclair/typebox").TSchema>(t: T) => Type.Union([t, Type.Null()]);
const EndpointSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(Type.String()),
    description: Nullable(Type.String()),
    enabled: Type.Boolean(),
    disabledAt: Nullable(Type.String({ format: "date-time" })),
    disabledReason: Nullable(Type.String()),
    consecutiveFailures: Type.Integer(),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
  },
  { $id: "WebhookEndpoint" },
);
const CreatedEndpoint = Type.Intersect([
  Type.Ref("WebhookEndpoint"),
  Type.Object({
    secret: Type.String({ description: "whsec_…: shown this once; verify signatures with it" }),
  }),
]);
const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: "Also the webhook-id header of every attempt" }),
    eventId: Type.String({ description: "The event's id in the event log (as in the SSE stream)" }),
    eventType: Type.String(),
    status: Type.Union(["pending", "running", "succeeded", "failed"].map((s) => Type.Literal(s))),
    attempts: Type.Integer({ description: "Attempts in the current budget (a replay starts a new one)" }),
    nextAttemptAt: Nullable(Type.String({ format: "date-time" })),
    lastStatusCode: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    createdAt: Type.String({ format: "date-time" }),
    finishedAt: Nullable(Type.String({ format: "date-time" })),
    attemptLog: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        at: Type.String({ format: "date-time" }),
        statusCode: Nullable(Type.Integer()),
        latencyMs: Type.Integer(),
        error: Nullable(Type.String()),
      }),
    ),
  },
  { $id: "WebhookDelivery" },
);

/** The services these routes use. */
export interface WebhookRouteDeps {
  webhooks: WebhookService;
}

/** Outgoing webhooks (admin): endpoints, their delivery log, replay. */
export function registerWebhookRoutes(server: Server, { webhooks }: WebhookRouteDeps): void {
  server.addSchema(EndpointSchema);
  server.addSchema(DeliverySchema);
  const admin = { roles: ["admin"] as const };
  server.post(
    "/v1/webhook-endpoints",
    {
      config: admin,
      schema: {
        tags,
        summary: "Register a webhook endpoint; the signing secret is shown in this answer only",
        body: CreateBody,
        response: { 201: CreatedEndpoint, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await webhooks.create(request.body)),
  );
  server.get(
    "/v1/webhook-endpoints",
    {
      config: admin,
      schema: {
        tags,
        summary: "Webhook endpoints, oldest first",
        response: {
          200: Type.Object({ endpoints: Type.Array(Type.Ref("WebhookEndpoint")) }),
          ...errors(401, 403),
        },
      },
    },
    async () => webhooks.list(),
  );
  server.get(
    "/v1/webhook-endpoints/:endpointId",
    {
      config: admin,
      schema: {
        tags,
        summary: "One webhook endpoint",
        params: EndpointParams,
        response: { 200: Type.Ref("WebhookEndpoint"), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.get(request.params.endpointId),
  );
  server.patch(
    "/v1/webhook-endpoints/:endpointId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Change an endpoint's URL, events or description; enable or disable it",
        params: EndpointParams,
        body: PatchBody,
        response: { 200: Type.Ref("WebhookEndpoint"), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.update(request.params.endpointId, request.body),
  );
  server.delete(
    "/v1/webhook-endpoints/:endpointId",
    {
      config: admin,
      schema: {
        tags,
        summary: "Delete an endpoint and its delivery log",
        params: EndpointParams,
        response: { 204: NoContent, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.params.endpointId);
      return reply.status(204).send();
    },
  );
  server.get(
    "/v1/webhook-endpoints/:endpointId/deliveries",
    {
      config: admin,
      schema: {
        tags,
        summary: "The endpoint's latest deliveries, newest event first, with every attempt",
        params: EndpointParams,
        querystring: DeliveriesQuery,
        response: {
          200: Type.Object({ deliveries: Type.Array(Type.Ref("WebhookDelivery")) }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => webhooks.deliveries(request.params.endpointId, request.query.limit ?? 50),
  );
  server.post(
    "/v1/webhook-endpoints/:endpointId/deliveries/:deliveryId/replay",
    {
      config: admin,
      schema: {
        tags,
        summary: "Send a delivery again, now, with a fresh attempt budget",
        params: DeliveryParams,
        response: { 202: Type.Ref("WebhookDelivery"), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await webhooks.replay(request.params.endpointId, request.params.deliveryId)),
  );
}
