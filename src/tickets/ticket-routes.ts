import { Type } from "@sinclair/typebox";
import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { errors, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { SelfResolveService } from "./self-resolve-service.js";
import { sendAttachment } from "./ticket-attachment-reply.js";
import { ATTACHMENT_BODY_LIMIT } from "./ticket-attachments.js";
import { registerTicketDeskRoutes } from "./ticket-desk-routes.js";
import type { TicketDeskService } from "./ticket-desk-service.js";
import {
  AttachmentParams,
  Binary,
  EscalateBody,
  Escalation,
  MemberTicket,
  MyTickets,
  OpenTicketBody,
  RateBody,
  ReplyBody,
  TicketParams,
} from "./ticket-schemas.js";
import type { TicketService } from "./ticket-service.js";

export interface TicketRouteDeps {
  tickets: TicketService;
  desk: TicketDeskService;
  selfResolve: SelfResolveService;
}

const tags = ["tickets"];

/** Opening tickets (members, the platform, agents), and the member's side of the conversation. */
export function registerTicketRoutes(server: Server, { tickets, desk, selfResolve }: TicketRouteDeps): void {
  server.addSchema(MemberTicket);
  server.post(
    "/v1/me/tickets",
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT,
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Open a ticket: the evidence is frozen now and the priority follows it",
        body: OpenTicketBody,
        response: { 201: Type.Ref("MemberTicket"), ...errors(400, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const memberId = memberOf(request.principal);
      const actor = await tickets.actorOf(request.principal);
      return reply.status(201).send(await tickets.open(memberId, request.body, actor, readerLocale(request)));
    },
  );
  server.post(
    "/v1/members/:memberId/tickets",
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT,
      config: { roles: ["service", "support", "admin"] },
      schema: {
        tags,
        summary: "Open a ticket for a member (the platform or an agent)",
        params: MemberParams,
        body: OpenTicketBody,
        response: { 201: Type.Ref("MemberTicket"), ...errors(400, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = await tickets.actorOf(request.principal);
      const opened = await tickets.open(request.params.memberId, request.body, actor, readerLocale(request));
      return reply.status(201).send(opened);
    },
  );
  server.get(
    "/v1/me/tickets",
    {
      config: { roles: ["member"] },
      schema: { tags: ["me"], summary: "My tickets, newest first", response: { 200: MyTickets } },
    },
    async (request) => tickets.mine(memberOf(request.principal)),
  );
  server.get(
    "/v1/me/tickets/:ticketId",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "My ticket: the conversation with agent numbers, the next target and the promise",
        params: TicketParams,
        response: { 200: Type.Ref("MemberTicket"), ...errors(404) },
      },
    },
    async (request) => tickets.mineOne(memberOf(request.principal), request.params.ticketId),
  );
  server.post(
    "/v1/me/tickets/:ticketId/replies",
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT,
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Answer on my ticket (reopens a ticket resolved within 7 days)",
        params: TicketParams,
        body: ReplyBody,
        response: { 200: Type.Ref("MemberTicket"), ...errors(400, 404, 409, 413, 415) },
      },
    },
    async (request) =>
      tickets.memberReply(memberOf(request.principal), request.params.ticketId, request.body),
  );
  server.post(
    "/v1/me/tickets/:ticketId/escalate",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Escalate my ticket once a target or the promise was missed",
        description:
          "409 ESCALATION_NOT_ALLOWED before any miss (details.nextTarget), past level 3, or twice at one level.",
        params: TicketParams,
        body: EscalateBody,
        response: { 200: Escalation, ...errors(400, 404, 409) },
      },
    },
    async (request) =>
      tickets.escalate(memberOf(request.principal), request.params.ticketId, request.body.reason),
  );
  server.post(
    "/v1/me/tickets/:ticketId/rating",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Rate my resolved ticket, 1–5 with a comment, once",
        params: TicketParams,
        body: RateBody,
        response: { 200: Type.Ref("MemberTicket"), ...errors(400, 404, 409) },
      },
    },
    async (request) =>
      tickets.rate(
        memberOf(request.principal),
        request.params.ticketId,
        request.body.score,
        request.body.comment ?? null,
      ),
  );
  server.post(
    "/v1/me/tickets/:ticketId/confirm",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Confirm that my resolved ticket is solved: it closes",
        params: TicketParams,
        response: { 200: Type.Ref("MemberTicket"), ...errors(404, 409) },
      },
    },
    async (request) => selfResolve.confirm(memberOf(request.principal), request.params.ticketId),
  );
  server.get(
    "/v1/me/tickets/:ticketId/attachments/:attachmentId",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Download an attachment of my ticket",
        params: AttachmentParams,
        response: { 200: Binary, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { ticketId, attachmentId } = request.params;
      return sendAttachment(
        reply,
        await tickets.memberAttachment(memberOf(request.principal), ticketId, attachmentId),
      );
    },
  );
  registerTicketDeskRoutes(server, { tickets, desk });
}
