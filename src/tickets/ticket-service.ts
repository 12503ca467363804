import type { Principal } from "../auth/auth-service.js";
import type { Clock } from "../clock.js";
import type { RequestLocale } from "../engine/decision-context.js";
import { AppError } from "../errors.js";
import { newId } from "../ids.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import { addIsoDuration } from "../time/durations.js";
import { awaitingAnswerSla, latestMiss, openedSla, readClocks, reopenedSla } from "./sla-state.js";
import { DEFAULT_SUPPORT_POLICY, type SupportPolicy } from "./support-policy.js";
import { type AttachmentInput, checkAttachments } from "./ticket-attachments.js";
import { type ChangeContext, changeTicket, insertTicket, type TicketActor } from "./ticket-changes.js";
import { type EvidenceDeps, gatherEvidence, priorityFromEvidence } from "./ticket-evidence.js";
import type { TicketStore } from "./ticket-store.js";
import type { Agent, NewAttachment, TicketMessage, TicketRecord } from "./ticket-types.js";
import { agentView, memberTicketView, nextTarget, ticketSummaryView } from "./ticket-views.js";

export interface OpenTicketBody {
  benefit?: string;
  orderId?: string;
  occurredAt?: string;
  where?: string;
  expected: string;
  actual: string;
  attachments?: AttachmentInput[];
}

export interface ReplyBody {
  text: string;
  attachments?: AttachmentInput[];
}

/** DESIGN: a member's reply reopens a resolved ticket within 7 days. */
export const REOPEN_WINDOW_MS = 7 * 24 * 3600_000;

export interface TicketDeps extends EvidenceDeps {
  store: TicketStore;
  writes: MemberWrites;
  clock: Clock;
}

/** Tickets as members open, read and answer them, and what agents and members share (evidence, attachments). */
export class TicketService {
  constructor(private readonly deps: TicketDeps) {}

  async policy(): Promise<SupportPolicy> {
    return (await this.deps.store.policy()) ?? DEFAULT_SUPPORT_POLICY;
  }

  /** The actor of a caller: an agent (support or admin key) gets its public number on first use. */
  async actorOf(principal: Principal | null): Promise<TicketActor> {
    if (principal === null) throw new AppError("FORBIDDEN", "This route needs credentials.");
    if (principal.kind === "member")
      return { id: `member:${principal.memberId}`, source: "member", agent: null };
    if (principal.kind === "service")
      return { id: `service:${principal.keyId}`, source: "service", agent: null };
    const agent = await this.deps.store.agent(principal.keyId);
    return { id: `agent:${agent.number}`, source: principal.kind, agent };
  }

  /** Opens a ticket with its evidence frozen as version 1 and its priority from that evidence. */
  async open(memberId: string, body: OpenTicketBody, opener: TicketActor, locale: RequestLocale) {
    const files = await checkAttachments(body.attachments ?? [], "/attachments");
    const evidence = await gatherEvidence(
      this.deps,
      memberId,
      { benefit: body.benefit ?? null, orderId: body.orderId ?? null },
      locale,
    );
    const policy = await this.policy();
    const ticket = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      const now = this.deps.clock.now();
      const at = new Date(now);
      const ctx: ChangeContext = { scope, policy, now, actor: opener };
      const record: TicketRecord = {
        id: newId("tkt"),
        memberId,
        benefit: body.benefit ?? null,
        orderId: body.orderId ?? null,
        occurredAt: body.occurredAt === undefined ? null : new Date(body.occurredAt),
        where: body.where ?? null,
        expected: body.expected,
        actual: body.actual,
        status: "open",
        priority: priorityFromEvidence(evidence),
        level: 1,
        classification: null,
        promisedBy: null,
        assignee: null,
        openedBy: opener.id,
        resolution: null,
        sla: openedSla(now),
        dueAt: null,
        breached: false,
        rating: null,
        createdAt: at,
        updatedAt: at,
        resolvedAt: null,
        closedAt: null,
      };
      const inserted = await insertTicket(ctx, record, {
        kind: "opened",
        data: { benefit: record.benefit, orderId: record.orderId, openedBy: opener.source },
      });
      await scope.stores.tickets.insertEvidence({
        ticketId: record.id,
        version: 1,
        takenBy: opener.id,
        at,
        document: evidence,
      });
      const byMember = opener.source === "member";
      await this.addMessage(scope, inserted, {
        visibility: byMember ? "public" : "system",
        author: byMember ? "member" : "system",
        agent: null,
        body: byMember ? body.actual : "Opened by the platform on your behalf.",
        files,
        at,
      });
      return inserted;
    });
    return this.memberView(ticket);
  }

  async addMessage(
    scope: MemberWriteScope,
    ticket: TicketRecord,
    m: {
      visibility: TicketMessage["visibility"];
      author: string;
      agent: Agent | null;
      body: string;
      files: NewAttachment[];
      at: Date;
    },
  ) {
    const message = await scope.stores.tickets.appendMessage({
      ticketId: ticket.id,
      visibility: m.visibility,
      author: m.author,
      agentNumber: m.agent?.number ?? null,
      body: m.body,
      at: m.at,
    });
    await scope.stores.tickets.insertAttachments(ticket.id, message.id, m.files, m.at);
    return message;
  }

  /** The member's tickets, newest first. */
  async mine(memberId: string) {
    const [tickets, policy] = [await this.deps.store.listForMember(memberId), await this.policy()];
    const now = this.deps.clock.now();
    const agents = await this.deps.store.agents(tickets.flatMap((t) => (t.assignee ? [t.assignee] : [])));
    return { tickets: tickets.map((t) => ticketSummaryView(t, readClocks(t, policy, now), agents)) };
  }

  /** One of the member's tickets; another member's answers like a missing one. */
  async mineOne(memberId: string, ticketId: string) {
    return this.memberView(await this.requireOwn(memberId, ticketId));
  }

  async memberView(ticket: TicketRecord) {
    const { store } = this.deps;
    const [messages, attachments, policy] = await Promise.all([
      store.messages(ticket.id, ["public", "system"]),
      store.attachments(ticket.id),
      this.policy(),
    ]);
    const agents = await store.agents([
      ...new Set([...messages.map((m) => m.author), ticket.assignee ?? ""]),
    ]);
    const clocks = readClocks(ticket, policy, this.deps.clock.now());
    return memberTicketView(ticket, clocks, messages, attachments, agents);
  }

  /**
   * The member answers: a ticket waiting on them runs again, a resolved one reopens within 7 days;
   * the desk owes a next response either way.
   */
  async memberReply(memberId: string, ticketId: string, body: ReplyBody) {
    const files = await checkAttachments(body.attachments ?? [], "/attachments");
    const policy = await this.policy();
    const ticket = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      const before = await this.requireOwn(memberId, ticketId, scope.stores.tickets);
      const now = this.deps.clock.now();
      const actor: TicketActor = { id: `member:${memberId}`, source: "member", agent: null };
      const ctx: ChangeContext = { scope, policy, now, actor };
      const reopen = before.status === "resolved";
      if (
        before.status === "closed" ||
        (reopen && now - (before.resolvedAt?.getTime() ?? 0) > REOPEN_WINDOW_MS)
      ) {
        throw new AppError("TICKET_NOT_OPEN", `Ticket ${ticketId} is ${before.status}: open a new ticket.`, [
          { path: "", message: reopen ? "resolved more than 7 days ago" : "closed", status: before.status },
        ]);
      }
      const message = await this.addMessage(scope, before, {
        visibility: "public",
        author: "member",
        agent: null,
        body: body.text,
        files,
        at: new Date(now),
      });
      return changeTicket(
        ctx,
        before,
        reopen
          ? { status: "open", sla: reopenedSla(before.sla, now), resolvedAt: null, resolution: null }
          : { status: "open", sla: awaitingAnswerSla(before.sla, now) },
        { kind: reopen ? "reopened" : "member_replied", data: { messageId: message.id } },
      );
    });
    return this.memberView(ticket);
  }

  /**
   * The member asks for escalation: only once a target or the promise was missed, once per level.
   * Answers the new level, the new target (a fresh next response) and the agent.
   */
  async escalate(memberId: string, ticketId: string, reason: string) {
    const policy = await this.policy();
    const ticket = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      const before = await this.requireOwn(memberId, ticketId, scope.stores.tickets);
      const now = this.deps.clock.now();
      const clocks = readClocks(before, policy, now);
      const missedAt = latestMiss(before.sla, clocks);
      const refuse = (message: string, extra: Record<string, unknown> = {}) => {
        throw new AppError("ESCALATION_NOT_ALLOWED", `Ticket ${ticketId} cannot be escalated: ${message}.`, [
          { path: "", message, level: before.level, ...extra },
        ]);
      };
      if (before.status === "resolved" || before.status === "closed") refuse(`it is ${before.status}`);
      if (missedAt === null)
        refuse("no target or promise was missed yet", { nextTarget: nextTarget(clocks) });
      if (missedAt! <= (before.sla.memberEscalatedAt ?? Number.NEGATIVE_INFINITY)) {
        refuse("no target or promise was missed since you last escalated", {
          nextTarget: nextTarget(clocks),
        });
      }
      if (before.level >= 3) refuse("it is at the last level");
      const actor: TicketActor = { id: `member:${memberId}`, source: "member", agent: null };
      return changeTicket(
        { scope, policy, now, actor },
        before,
        {
          level: before.level + 1,
          status: "open",
          sla: { ...awaitingAnswerSla(before.sla, now, true), memberEscalatedAt: now },
        },
        { kind: "escalated", data: { level: before.level + 1, by: "member", reason } },
      );
    });
    const clocks = readClocks(ticket, policy, this.deps.clock.now());
    const agents = await this.deps.store.agents(ticket.assignee ? [ticket.assignee] : []);
    return {
      ticketId: ticket.id,
      level: ticket.level,
      nextTarget: nextTarget(clocks),
      agent: ticket.assignee === null ? null : agentView(agents.get(ticket.assignee)),
    };
  }

  /** The member rates a resolved or closed ticket, once (1–5, with an optional comment). */
  async rate(memberId: string, ticketId: string, score: number, comment: string | null) {
    const policy = await this.policy();
    const ticket = await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      const before = await this.requireOwn(memberId, ticketId, scope.stores.tickets);
      if (before.status !== "resolved" && before.status !== "closed") {
        throw new AppError("TICKET_NOT_OPEN", `Ticket ${ticketId} is not resolved yet.`, [
          { path: "", message: `is ${before.status}; rate it once it is resolved`, status: before.status },
        ]);
      }
      const now = this.deps.clock.now();
      if (!(await scope.stores.tickets.rate(ticketId, score, comment, new Date(now)))) {
        throw new AppError("CONFLICT", `Ticket ${ticketId} was rated already.`, [
          { path: "/score", message: "rated already", score: before.rating?.score },
        ]);
      }
      const actor: TicketActor = { id: `member:${memberId}`, source: "member", agent: null };
      const rated = (await scope.stores.tickets.get(ticketId))!;
      return changeTicket({ scope, policy, now, actor }, rated, {}, { kind: "rated", data: { score } });
    });
    return this.memberView(ticket);
  }

  /** An attachment of the member's own ticket. */
  async memberAttachment(memberId: string, ticketId: string, attachmentId: string) {
    await this.requireOwn(memberId, ticketId);
    return this.attachment(ticketId, attachmentId);
  }

  async attachment(ticketId: string, attachmentId: string) {
    const found = await this.deps.store.attachment(attachmentId);
    if (found === null || found.ticketId !== ticketId) {
      throw new AppError("ATTACHMENT_NOT_FOUND", `Attachment ${attachmentId} does not exist.`);
    }
    return found;
  }

  /** A fresh diagnosis (and the rest of the evidence) as a new version; earlier ones stay as they were. */
  async refreshEvidence(ticketId: string, actor: TicketActor, locale: RequestLocale) {
    const ticket = await this.require(ticketId);
    const document = await gatherEvidence(
      this.deps,
      ticket.memberId,
      { benefit: ticket.benefit, orderId: ticket.orderId },
      locale,
    );
    const policy = await this.policy();
    return this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(ticket.memberId);
      const now = this.deps.clock.now();
      const versions = await scope.stores.tickets.evidence(ticketId);
      const version = versions.length + 1;
      await scope.stores.tickets.insertEvidence({
        ticketId,
        version,
        takenBy: actor.id,
        at: new Date(now),
        document,
      });
      const current = await this.require(ticketId, scope.stores.tickets);
      await changeTicket(
        { scope, policy, now, actor },
        current,
        {},
        { kind: "evidence_added", data: { version } },
      );
      return { version, takenBy: actor.id, at: new Date(now).toISOString(), document };
    });
  }

  async require(ticketId: string, store: TicketStore = this.deps.store): Promise<TicketRecord> {
    const ticket = await store.get(ticketId);
    if (ticket === null) throw new AppError("TICKET_NOT_FOUND", `Ticket ${ticketId} does not exist.`);
    return ticket;
  }

  private async requireOwn(memberId: string, ticketId: string, store: TicketStore = this.deps.store) {
    const ticket = await store.get(ticketId);
    // Another member's ticket answers exactly like one that does not exist.
    if (ticket === null || ticket.memberId !== memberId) {
      throw new AppError("TICKET_NOT_FOUND", `Ticket ${ticketId} does not exist.`);
    }
    return ticket;
  }

  /** When a self-resolved ticket closes without the member's answer (item 9). */
  autoCloseAt(policy: SupportPolicy, from: number): number {
    return addIsoDuration(from, policy.autoCloseAfter, policy.calendar.timeZone);
  }
}
