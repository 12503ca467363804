import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import type { MemberWrites } from "../members/member-writes.js";
import { answeredSla, pausedSla, readClocks, resolvedSla, workingSla } from "./sla-state.js";
import { policyProblems, type SupportPolicy } from "./support-policy.js";
import { checkAttachments } from "./ticket-attachments.js";
import { type ChangeContext, changeTicket, type TicketActor, type TicketChange } from "./ticket-changes.js";
import type { ReplyBody, TicketService } from "./ticket-service.js";
import type { QueueCursor, TicketPatch, TicketStore } from "./ticket-store.js";
import type { Classification, Priority, TicketRecord, TicketStatus } from "./ticket-types.js";
import { agentTicketView, agentView, ticketSummaryView } from "./ticket-views.js";

export interface QueueParams {
  status?: TicketStatus;
  priority?: Priority;
  level?: number;
  /** An agent number, `me`, or `none`. */
  assignee?: string;
  breached?: boolean;
  limit?: number;
  cursor?: string;
}

export interface TicketFieldsBody {
  classification?: Classification | null;
  promisedBy?: string | null;
  priority?: Priority;
}

const DEFAULT_PAGE = 50;

function encodeCursor(t: TicketRecord): string {
  return Buffer.from(JSON.stringify([t.dueAt?.toISOString() ?? null, t.id])).toString("base64url");
}

function decodeCursor(cursor: string): QueueCursor {
  try {
    const [dueAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const at = dueAt === null ? null : new Date(dueAt);
    if ((at === null || !Number.isNaN(at.getTime())) && typeof id === "string") return { dueAt: at, id };
  } catch {
    // fall through: not a cursor this server made
  }
  throw new AppError("VALIDATION_FAILED", "The cursor is not one this API returned.", [
    { path: "/cursor", message: "is not a cursor from a previous page", in: "querystring" },
  ]);
}

const OPEN_STATES: readonly TicketStatus[] = ["open", "waiting_on_member"];

/** The desk as agents work it: the queue, the ticket page, answers, notes, fields, resolution, policy. */
export class TicketDeskService {
  constructor(
    private readonly deps: { tickets: TicketService; store: TicketStore; writes: MemberWrites; clock: Clock },
  ) {}

  /** Soonest due first (tickets with no running clock last); `nextCursor` pages on. */
  async queue(params: QueueParams, actor: TicketActor) {
    const { store } = this.deps;
    const limit = params.limit ?? DEFAULT_PAGE;
    let assignee: string | undefined = params.assignee;
    if (assignee === "me") assignee = actor.agent?.keyId;
    else if (assignee !== undefined && assignee !== "none") {
      // An unknown number has no tickets: match a key id no agent has.
      assignee = (await store.agentByNumber(assignee))?.keyId ?? "no-such-agent";
    }
    const rows = await store.queue({
      status: params.status,
      priority: params.priority,
      level: params.level,
      assignee,
      breached: params.breached,
      limit: limit + 1,
      after: params.cursor === undefined ? undefined : decodeCursor(params.cursor),
    });
    const page = rows.slice(0, limit);
    const policy = await this.deps.tickets.policy();
    const now = this.deps.clock.now();
    const agents = await store.agents([...new Set(page.flatMap((t) => (t.assignee ? [t.assignee] : [])))]);
    return {
      tickets: page.map((t) => ticketSummaryView(t, readClocks(t, policy, now), agents)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /** The ticket page: conversation with internal notes, clocks, the latest evidence, the audit trail. */
  async get(ticketId: string) {
    const { store } = this.deps;
    const ticket = await this.deps.tickets.require(ticketId);
    const [messages, attachments, evidence, events, policy] = await Promise.all([
      store.messages(ticketId, ["public", "internal", "system"]),
      store.attachments(ticketId),
      store.evidence(ticketId),
      store.events(ticketId),
      this.deps.tickets.policy(),
    ]);
    const agents = await store.agents([
      ...new Set([...messages.map((m) => m.author), ticket.assignee ?? ""]),
    ]);
    const clocks = readClocks(ticket, policy, this.deps.clock.now());
    return agentTicketView(ticket, clocks, messages, attachments, agents, evidence, events);
  }

  /** A public answer (with the agent's number); `waitOnMember` puts the ticket on the member's side. */
  async reply(ticketId: string, body: ReplyBody & { waitOnMember?: boolean }, actor: TicketActor) {
    const files = await checkAttachments(body.attachments ?? [], "/attachments");
    return this.change(ticketId, actor, OPEN_STATES, async (ctx, before) => {
      const message = await this.deps.tickets.addMessage(ctx.scope, before, {
        visibility: "public",
        author: actor.agent!.keyId,
        agent: actor.agent,
        body: body.text,
        files,
        at: new Date(ctx.now),
      });
      const patch: TicketPatch = body.waitOnMember
        ? { status: "waiting_on_member", sla: pausedSla(answeredSla(before.sla), ctx.now) }
        : { status: "open", sla: workingSla(before.sla, ctx.now) };
      return [
        patch,
        { kind: "replied", data: { messageId: message.id, waitingOnMember: body.waitOnMember === true } },
      ];
    });
  }

  /** An internal note: agents only, never in a member's answer, stream or timeline. */
  async note(ticketId: string, text: string, actor: TicketActor) {
    const ticket = await this.deps.tickets.require(ticketId);
    await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(ticket.memberId);
      const at = new Date(this.deps.clock.now());
      await this.deps.tickets.addMessage(scope, ticket, {
        visibility: "internal",
        author: actor.agent!.keyId,
        agent: actor.agent,
        body: text,
        files: [],
        at,
      });
      await scope.stores.tickets.appendEvents([
        { ticketId, kind: "note_added", actor: actor.id, at, data: {} },
      ]);
    });
    return this.get(ticketId);
  }

  /** Assigns to an agent by number (`me` for oneself), or unassigns with null. */
  async assign(ticketId: string, agentNumber: string | null, actor: TicketActor) {
    let keyId: string | null = null;
    let number: string | null = null;
    if (agentNumber !== null) {
      const agent = agentNumber === "me" ? actor.agent : await this.deps.store.agentByNumber(agentNumber);
      if (!agent) {
        throw new AppError("VALIDATION_FAILED", `No agent has number ${agentNumber}.`, [
          { path: "/agent", message: "no agent has this number" },
        ]);
      }
      keyId = agent.keyId;
      number = agent.number;
    }
    return this.change(ticketId, actor, null, async () => [
      { assignee: keyId },
      { kind: keyId === null ? "unassigned" : "assigned", data: { assignee: number } },
    ]);
  }

  /** Classification, promise and priority; each change is recorded with what it was before. */
  async setFields(ticketId: string, body: TicketFieldsBody, actor: TicketActor) {
    return this.change(ticketId, actor, OPEN_STATES, async (_ctx, before) => {
      const patch: TicketPatch = {};
      const changes: Record<string, unknown> = {};
      if (body.classification !== undefined) {
        patch.classification = body.classification;
        changes.classification = { from: before.classification, to: body.classification };
      }
      if (body.promisedBy !== undefined) {
        patch.promisedBy = body.promisedBy === null ? null : new Date(body.promisedBy);
        changes.promisedBy = { from: before.promisedBy?.toISOString() ?? null, to: body.promisedBy };
      }
      if (body.priority !== undefined) {
        patch.priority = body.priority;
        changes.priority = { from: before.priority, to: body.priority };
      }
      return [patch, { kind: "updated", data: changes }];
    });
  }

  async resolve(ticketId: string, resolution: string, actor: TicketActor) {
    return this.change(ticketId, actor, OPEN_STATES, async (ctx, before) => {
      const message = await this.deps.tickets.addMessage(ctx.scope, before, {
        visibility: "public",
        author: actor.agent!.keyId,
        agent: actor.agent,
        body: resolution,
        files: [],
        at: new Date(ctx.now),
      });
      return [
        {
          status: "resolved",
          resolution,
          resolvedAt: new Date(ctx.now),
          sla: resolvedSla(before.sla, ctx.now),
        },
        { kind: "resolved", data: { messageId: message.id } },
      ];
    });
  }

  async close(ticketId: string, actor: TicketActor) {
    return this.change(ticketId, actor, ["open", "waiting_on_member", "resolved"], async (ctx, before) => [
      { status: "closed", closedAt: new Date(ctx.now), sla: resolvedSla(before.sla, ctx.now) },
      { kind: "closed", data: {} },
    ]);
  }

  /** The desk at a glance: open, waiting and breached tickets, and the members' satisfaction. */
  async stats() {
    const { ratings, average, ...counts } = await this.deps.store.stats();
    return { ...counts, satisfaction: { ratings, average } };
  }

  async agentProfile(actor: TicketActor) {
    return agentView(actor.agent)!;
  }

  async setAgentName(actor: TicketActor, displayName: string | null) {
    return agentView(await this.deps.store.setAgentName(actor.agent!.keyId, displayName))!;
  }

  async putPolicy(policy: SupportPolicy) {
    const problems = policyProblems(policy);
    if (problems.length > 0)
      throw new AppError("VALIDATION_FAILED", "The support policy is not valid.", problems);
    await this.deps.store.putPolicy(policy, new Date(this.deps.clock.now()));
    return policy;
  }

  private async change(
    ticketId: string,
    actor: TicketActor,
    allowed: readonly TicketStatus[] | null,
    work: (ctx: ChangeContext, before: TicketRecord) => Promise<[TicketPatch, TicketChange]>,
  ) {
    const found = await this.deps.tickets.require(ticketId);
    const policy = await this.deps.tickets.policy();
    await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(found.memberId);
      const before = await this.deps.tickets.require(ticketId, scope.stores.tickets);
      if (allowed !== null && !allowed.includes(before.status)) {
        throw new AppError("TICKET_NOT_OPEN", `Ticket ${ticketId} is ${before.status}.`, [
          { path: "", message: `is ${before.status}`, status: before.status },
        ]);
      }
      const ctx: ChangeContext = { scope, policy, now: this.deps.clock.now(), actor };
      const [patch, change] = await work(ctx, before);
      return changeTicket(ctx, before, patch, change);
    });
    return this.get(ticketId);
  }
}
