import { Type } from "@sinclair/typebox";
import { AppError } from "../errors.js";
import { memberOf } from "../http/auth-hook.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { EXTERNAL_ID_PATTERN } from "../ids.js";
import type { EventModule } from "./event-module.js";
import type { StreamRequest } from "./event-stream-service.js";

const EVENT_ID_PATTERN = "^(0|[1-9][0-9]{0,14})$";
const MAX_MEMBERS = 100;
const memberIdPattern = new RegExp(EXTERNAL_ID_PATTERN);
const eventIdPattern = new RegExp(EVENT_ID_PATTERN);

const LastEventId = Type.String({
  pattern: EVENT_ID_PATTERN,
  description: "Resume after this event id (for clients that cannot set the Last-Event-ID header)",
});
const MeQuery = Type.Object({ lastEventId: Type.Optional(LastEventId) }, { additionalProperties: false });
const EventsQuery = Type.Object(
  {
    members: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_MEMBERS * 129,
        description: `Comma-separated member ids (at most ${MAX_MEMBERS}); every event when absent`,
      }),
    ),
    lastEventId: Type.Optional(LastEventId),
  },
  { additionalProperties: false },
);
const StreamHeaders = Type.Object({
  "last-event-id": Type.Optional(Type.String({ description: "Resume after this event id (decimal)" })),
});
const EventStream = {
  description:
    "text/event-stream: `retry: 2000`, then frames `id: <n>` / `event: <type>` / `data: <JSON>`, `: heartbeat` comments, and `event: reset` when a resume is impossible",
  content: { "text/event-stream": { schema: Type.String() } },
};

/** The Last-Event-ID header wins over the query parameter: a reconnecting EventSource sends the newer one. */
function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === "") return query;
  if (!eventIdPattern.test(value))
    throw new AppError("VALIDATION_FAILED", "Last-Event-ID must be an event id (a decimal number).", [
      { path: "/headers/last-event-id", message: "is not an event id" },
    ]);
  return value;
}

function membersOf(list: string | undefined): Set<string> | null {
  if (list === undefined) return null;
  const ids = list.split(",");
  const bad = ids.findIndex((id) => !memberIdPattern.test(id));
  if (bad >= 0 || ids.length > MAX_MEMBERS)
    throw new AppError(
      "VALIDATION_FAILED",
      `members must be 1 to ${MAX_MEMBERS} comma-separated member ids.`,
      [
        {
          path: "/querystring/members",
          message: bad >= 0 ? `item ${bad} is not a member id` : `more than ${MAX_MEMBERS} ids`,
        },
      ],
    );
  return new Set(ids);
}

/** The services these routes use. */
export interface EventRouteDeps {
  events: EventModule;
}

/** Server-Sent Events: a member's own events, and any members' (or all) for the platform's back end. */
export function registerEventRoutes(server: Server, { events }: EventRouteDeps): void {
  const { streams } = events;
  const open = async (
    request: { raw: import("node:http").IncomingMessage },
    reply: { hijack(): void; raw: import("node:http").ServerResponse },
    stream: Omit<StreamRequest, "retryMs">,
  ) => {
    streams.admit(stream.limitKey);
    reply.hijack();
    try {
      await streams.open(reply.raw, { ...stream, retryMs: events.retryMs });
    } catch (error) {
      server.log.error({ err: error, url: request.raw.url }, "event stream failed");
      reply.raw.destroy();
    }
  };
  // SIGTERM and server.close(): end the streams first, or closing would wait for them forever.
  server.addHook("preClose", async () => events.closeStreams());

  server.get(
    "/v1/me/events",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "My events as Server-Sent Events (entitlements.changed, notices, holds, catalog.changed)",
        querystring: MeQuery,
        headers: StreamHeaders,
        response: { 200: EventStream, ...errors(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const memberId = memberOf(request.principal);
      await open(request, reply, {
        filter: { members: new Set([memberId]), memberFacing: true },
        limitKey: `member:${memberId}`,
        lastEventId: lastEventIdOf(request.headers["last-event-id"], request.query.lastEventId),
      });
    },
  );
  server.get(
    "/v1/events",
    {
      config: { roles: ["admin", "service", "support"] },
      schema: {
        tags: ["events"],
        summary: "Events of some members (or every event) as Server-Sent Events",
        querystring: EventsQuery,
        headers: StreamHeaders,
        response: { 200: EventStream, ...errors(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      await open(request, reply, {
        filter: { members: membersOf(request.query.members), memberFacing: false },
        limitKey: null,
        lastEventId: lastEventIdOf(request.headers["last-event-id"], request.query.lastEventId),
      });
    },
  );
}
