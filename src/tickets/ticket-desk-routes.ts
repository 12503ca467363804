import { Type } from "@sinclair/typebox";
import { readerLocale } from "../http/accept-language.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { sendAttachment } from "./ticket-attachment-reply.js";
import { ATTACHMENT_BODY_LIMIT } from "./ticket-attachments.js";
import type { QueueParams, TicketDeskService, TicketFieldsBody } from "./ticket-desk-service.js";
import {
  Agent,
  AgentNameBody,
  AgentReplyBody,
  AgentTicket,
  AssignBody,
  AttachmentParams,
  Binary,
  DeskStats,
  EvidenceView,
  FieldsBody,
  NoteBody,
  PolicySchema,
  QueueQuery,
  ResolveBody,
  TicketParams,
  TicketQueue,
} from "./ticket-schemas.js";
import type { TicketService } from "./ticket-service.js";

const tags = ["tickets"];
const AGENTS = ["admin", "support"] as const;

/** The agents' side: the queue, the ticket page, answers, notes, fields, resolution, evidence, policy. */
export function registerTicketDeskRoutes(
  server: Server,
  { tickets, desk }: { tickets: TicketService; desk: TicketDeskService },
): void {
  server.addSchema(AgentTicket);
  server.addSchema(PolicySchema);
  const agentTicket = { 200: Type.Ref("AgentTicket"), ...errors(400, 404, 409) };
  server.get(
    "/v1/tickets",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "The queue: soonest due first, keyset-paginated",
        querystring: QueueQuery,
        response: { 200: TicketQueue, ...errors(400) },
      },
    },
    async (request) => desk.queue(request.query as QueueParams, await tickets.actorOf(request.principal)),
  );
  server.get(
    "/v1/tickets/:ticketId",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "A ticket with internal notes, clocks, the latest evidence and the audit trail",
        params: TicketParams,
        response: { 200: Type.Ref("AgentTicket"), ...errors(404) },
      },
    },
    async (request) => desk.get(request.params.ticketId),
  );
  server.post(
    "/v1/tickets/:ticketId/replies",
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT,
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Answer the member (shows the agent's number)",
        params: TicketParams,
        body: AgentReplyBody,
        response: { ...agentTicket, ...errors(413, 415) },
      },
    },
    async (request) =>
      desk.reply(request.params.ticketId, request.body, await tickets.actorOf(request.principal)),
  );
  const simple = <B extends "note" | "resolve">(
    path: string,
    summary: string,
    body: typeof NoteBody | typeof ResolveBody,
    run: (
      ticketId: string,
      body: Record<string, string>,
      actor: Awaited<ReturnType<TicketService["actorOf"]>>,
    ) => Promise<unknown>,
    _kind?: B,
  ) =>
    server.post(
      path,
      {
        config: { roles: AGENTS },
        schema: { tags, summary, params: TicketParams, body, response: agentTicket },
      },
      async (request) =>
        run(
          (request.params as { ticketId: string }).ticketId,
          request.body as Record<string, string>,
          await tickets.actorOf(request.principal),
        ),
    );
  simple(
    "/v1/tickets/:ticketId/notes",
    "Add an internal note (never shown to the member)",
    NoteBody,
    (id, b, a) => desk.note(id, b.text, a),
  );
  simple(
    "/v1/tickets/:ticketId/resolve",
    "Resolve with a resolution text (sent to the member)",
    ResolveBody,
    (id, b, a) => desk.resolve(id, b.resolution, a),
  );
  server.post(
    "/v1/tickets/:ticketId/close",
    {
      config: { roles: AGENTS },
      schema: { tags, summary: "Close the ticket", params: TicketParams, response: agentTicket },
    },
    async (request) => desk.close(request.params.ticketId, await tickets.actorOf(request.principal)),
  );
  server.post(
    "/v1/tickets/:ticketId/assign",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Assign to an agent by number, or to me",
        params: TicketParams,
        body: AssignBody,
        response: agentTicket,
      },
    },
    async (request) =>
      desk.assign(request.params.ticketId, request.body.agent, await tickets.actorOf(request.principal)),
  );
  server.post(
    "/v1/tickets/:ticketId/unassign",
    {
      config: { roles: AGENTS },
      schema: { tags, summary: "Unassign the ticket", params: TicketParams, response: agentTicket },
    },
    async (request) => desk.assign(request.params.ticketId, null, await tickets.actorOf(request.principal)),
  );
  server.patch(
    "/v1/tickets/:ticketId",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Set the classification, the promised time or the priority (recorded)",
        params: TicketParams,
        body: FieldsBody,
        response: agentTicket,
      },
    },
    async (request) =>
      desk.setFields(
        request.params.ticketId,
        request.body as TicketFieldsBody,
        await tickets.actorOf(request.principal),
      ),
  );
  server.post(
    "/v1/tickets/:ticketId/evidence",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Attach a fresh diagnosis as a new evidence version",
        params: TicketParams,
        response: { 201: EvidenceView, ...errors(404) },
      },
    },
    async (request, reply) => {
      const actor = await tickets.actorOf(request.principal);
      return reply
        .status(201)
        .send(await tickets.refreshEvidence(request.params.ticketId, actor, readerLocale(request)));
    },
  );
  server.get(
    "/v1/tickets/:ticketId/attachments/:attachmentId",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Download an attachment of a ticket",
        params: AttachmentParams,
        response: { 200: Binary, ...errors(404) },
      },
    },
    async (request, reply) =>
      sendAttachment(reply, await tickets.attachment(request.params.ticketId, request.params.attachmentId)),
  );
  server.get(
    "/v1/support/stats",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Open, waiting and breached tickets, and the members' average satisfaction",
        response: { 200: DeskStats },
      },
    },
    async () => desk.stats(),
  );
  server.get(
    "/v1/support/agents/me",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "My agent number (assigned on first use) and display name",
        response: { 200: Agent },
      },
    },
    async (request) => desk.agentProfile(await tickets.actorOf(request.principal)),
  );
  server.put(
    "/v1/support/agents/me",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Set my display name (optional; the number is what members always see)",
        body: AgentNameBody,
        response: { 200: Agent, ...errors(400) },
      },
    },
    async (request) => desk.setAgentName(await tickets.actorOf(request.principal), request.body.displayName),
  );
  server.get(
    "/v1/support/policies",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "The SLA policy and business calendar",
        response: { 200: Type.Ref("SupportPolicy") },
      },
    },
    async () => tickets.policy(),
  );
  server.put(
    "/v1/support/policies",
    {
      config: { roles: ["admin"] },
      schema: {
        tags,
        summary: "Replace the SLA policy and business calendar (every problem listed at once)",
        body: Type.Ref("SupportPolicy"),
        response: { 200: Type.Ref("SupportPolicy"), ...errors(400) },
      },
    },
    async (request) => desk.putPolicy(request.body as never),
  );
}
