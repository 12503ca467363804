import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import { newId } from "../ids.js";
import type { SupportPolicy } from "./support-policy.js";
import { type AgentStore, createAgentStore } from "./ticket-agent-store.js";
import { META, NEVER, toMeta, toRecord } from "./ticket-rows.js";
import type {
  AttachmentMeta,
  EvidenceVersion,
  MessageVisibility,
  NewAttachment,
  Priority,
  TicketEvent,
  TicketMessage,
  TicketRecord,
  TicketStatus,
} from "./ticket-types.js";

/** The queue's page position: the last ticket of the previous page, by due time then id. */
export interface QueueCursor {
  dueAt: Date | null;
  id: string;
}

export interface QueueQuery {
  status?: TicketStatus;
  priority?: Priority;
  level?: number;
  /** An agent's key id, or "none" for unassigned tickets. */
  assignee?: string;
  breached?: boolean;
  limit: number;
  after?: QueueCursor;
}

export type TicketPatch = Partial<
  Pick<
    TicketRecord,
    | "status"
    | "priority"
    | "level"
    | "classification"
    | "promisedBy"
    | "assignee"
    | "resolution"
    | "sla"
    | "dueAt"
    | "breached"
    | "resolvedAt"
    | "closedAt"
  >
>;

/** The support desk's tables: tickets, conversation, attachments, evidence, agents, marks, policy. */
export interface TicketStore extends AgentStore {
  insert(ticket: TicketRecord): Promise<void>;
  get(id: string): Promise<TicketRecord | null>;
  update(id: string, patch: TicketPatch, at: Date): Promise<TicketRecord>;
  listForMember(memberId: string): Promise<TicketRecord[]>;
  /** Soonest due first (tickets with no running target last), then by id. */
  queue(query: QueueQuery): Promise<TicketRecord[]>;
  appendMessage(message: Omit<TicketMessage, "id">): Promise<TicketMessage>;
  messages(ticketId: string, visibilities: readonly MessageVisibility[]): Promise<TicketMessage[]>;
  insertAttachments(
    ticketId: string,
    messageId: string,
    files: NewAttachment[],
    at: Date,
  ): Promise<AttachmentMeta[]>;
  attachments(ticketId: string): Promise<AttachmentMeta[]>;
  attachment(id: string): Promise<(AttachmentMeta & { data: Buffer }) | null>;
  insertEvidence(version: EvidenceVersion): Promise<void>;
  evidence(ticketId: string): Promise<EvidenceVersion[]>;
  appendEvents(events: TicketEvent[]): Promise<void>;
  events(ticketId: string): Promise<TicketEvent[]>;
  /** Rates a resolved or closed ticket once; false when it was rated already. */
  rate(id: string, score: number, comment: string | null, at: Date): Promise<boolean>;
  /** Open tickets, breached ones among them, and the satisfaction average. */
  stats(): Promise<{
    open: number;
    waitingOnMember: number;
    breached: number;
    ratings: number;
    average: number | null;
  }>;
  /** Records a warning or breach mark; false when it was recorded already (by any node). */
  mark(ticketId: string, mark: string, at: Date): Promise<boolean>;
  policy(): Promise<SupportPolicy | null>;
  putPolicy(policy: SupportPolicy, at: Date): Promise<void>;
}

export function createTicketStore(db: Executor): TicketStore {
  const store: TicketStore = {
    ...createAgentStore(db),
    async insert(t) {
      await db
        .insertInto("tickets")
        .values({
          id: t.id,
          member_id: t.memberId,
          benefit: t.benefit,
          order_id: t.orderId,
          occurred_at: t.occurredAt,
          place: t.where,
          expected: t.expected,
          actual: t.actual,
          status: t.status,
          priority: t.priority,
          level: t.level,
          classification: t.classification,
          promised_by: t.promisedBy,
          assignee: t.assignee,
          opened_by: t.openedBy,
          resolution: t.resolution,
          sla: JSON.stringify(t.sla),
          due_at: t.dueAt ?? NEVER,
          breached: t.breached,
          created_at: t.createdAt,
          updated_at: t.updatedAt,
        })
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async update(id, patch, at) {
      const row = await db
        .updateTable("tickets")
        .set({
          updated_at: at,
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.priority !== undefined && { priority: patch.priority }),
          ...(patch.level !== undefined && { level: patch.level }),
          ...(patch.classification !== undefined && { classification: patch.classification }),
          ...(patch.promisedBy !== undefined && { promised_by: patch.promisedBy }),
          ...(patch.assignee !== undefined && { assignee: patch.assignee }),
          ...(patch.resolution !== undefined && { resolution: patch.resolution }),
          ...(patch.sla !== undefined && { sla: JSON.stringify(patch.sla) }),
          ...(patch.dueAt !== undefined && { due_at: patch.dueAt ?? NEVER }),
          ...(patch.breached !== undefined && { breached: patch.breached }),
          ...(patch.resolvedAt !== undefined && { resolved_at: patch.resolvedAt }),
          ...(patch.closedAt !== undefined && { closed_at: patch.closedAt }),
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("tickets")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(toRecord);
    },
    async queue({ status, priority, level, assignee, breached, limit, after }) {
      let query = db.selectFrom("tickets").selectAll();
      if (status !== undefined) query = query.where("status", "=", status);
      if (priority !== undefined) query = query.where("priority", "=", priority);
      if (level !== undefined) query = query.where("level", "=", level);
      if (assignee === "none") query = query.where("assignee", "is", null);
      else if (assignee !== undefined) query = query.where("assignee", "=", assignee);
      if (breached !== undefined) query = query.where("breached", "=", breached);
      if (after !== undefined) {
        const due = after.dueAt ?? NEVER;
        query = query.where(sql<boolean>`(due_at, id) > (${due}::timestamptz, ${after.id})`);
      }
      const rows = await query.orderBy("due_at").orderBy("id").limit(limit).execute();
      return rows.map(toRecord);
    },
    async appendMessage(m) {
      const row = await db
        .insertInto("ticket_messages")
        .values({
          ticket_id: m.ticketId,
          visibility: m.visibility,
          author: m.author,
          agent_number: m.agentNumber,
          body: m.body,
          at: m.at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { ...m, id: String(row.id) };
    },
    async messages(ticketId, visibilities) {
      const rows = await db
        .selectFrom("ticket_messages")
        .selectAll()
        .where("ticket_id", "=", ticketId)
        .where("visibility", "in", [...visibilities])
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        id: String(r.id),
        ticketId: r.ticket_id,
        visibility: r.visibility as MessageVisibility,
        author: r.author,
        agentNumber: r.agent_number,
        body: r.body,
        at: new Date(r.at),
      }));
    },
    async insertAttachments(ticketId, messageId, files, at) {
      if (files.length === 0) return [];
      const rows = await db
        .insertInto("ticket_attachments")
        .values(
          files.map((f, position) => ({
            id: newId("att"),
            ticket_id: ticketId,
            message_id: messageId,
            position,
            filename: f.filename,
            content_type: f.contentType,
            size: f.data.length,
            data: f.data,
            at,
          })),
        )
        .returning(META)
        .execute();
      return rows.sort((a, b) => a.position - b.position).map(toMeta);
    },
    async attachments(ticketId) {
      const rows = await db
        .selectFrom("ticket_attachments")
        .select(META)
        .where("ticket_id", "=", ticketId)
        .orderBy("message_id")
        .orderBy("position")
        .execute();
      return rows.map(toMeta);
    },
    async attachment(id) {
      const row = await db
        .selectFrom("ticket_attachments")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? { ...toMeta(row), data: Buffer.from(row.data) } : null;
    },
    async insertEvidence(v) {
      await db
        .insertInto("ticket_evidence")
        .values({
          ticket_id: v.ticketId,
          version: v.version,
          taken_by: v.takenBy,
          at: v.at,
          document: JSON.stringify(v.document),
        })
        .execute();
    },
    async evidence(ticketId) {
      const rows = await db
        .selectFrom("ticket_evidence")
        .selectAll()
        .where("ticket_id", "=", ticketId)
        .orderBy("version")
        .execute();
      return rows.map((r) => ({
        ticketId: r.ticket_id,
        version: r.version,
        takenBy: r.taken_by,
        at: new Date(r.at),
        document: r.document as Record<string, unknown>,
      }));
    },
    async appendEvents(events) {
      if (events.length === 0) return;
      await db
        .insertInto("ticket_events")
        .values(
          events.map((e) => ({
            ticket_id: e.ticketId,
            kind: e.kind,
            actor: e.actor,
            at: e.at,
            data: JSON.stringify(e.data),
          })),
        )
        .execute();
    },
    async events(ticketId) {
      const rows = await db
        .selectFrom("ticket_events")
        .selectAll()
        .where("ticket_id", "=", ticketId)
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        ticketId: r.ticket_id,
        kind: r.kind,
        actor: r.actor,
        at: new Date(r.at),
        data: r.data as Record<string, unknown>,
      }));
    },
    async rate(id, score, comment, at) {
      const row = await db
        .updateTable("tickets")
        .set({ rating: score, rating_comment: comment, rated_at: at })
        .where("id", "=", id)
        .where("rating", "is", null)
        .returning("id")
        .executeTakeFirst();
      return row !== undefined;
    },
    async stats() {
      const { rows } = await sql<{
        open: number;
        waiting: number;
        breached: number;
        ratings: number;
        average: string | number | null;
      }>`select
          count(*) filter (where status = 'open')::int as open,
          count(*) filter (where status = 'waiting_on_member')::int as waiting,
          count(*) filter (where breached and status in ('open', 'waiting_on_member'))::int as breached,
          count(rating)::int as ratings,
          avg(rating) as average
        from tickets`.execute(db);
      const r = rows[0];
      return {
        open: r.open,
        waitingOnMember: r.waiting,
        breached: r.breached,
        ratings: r.ratings,
        average: r.average === null ? null : Math.round(Number(r.average) * 100) / 100,
      };
    },
    async mark(ticketId, mark, at) {
      const row = await db
        .insertInto("ticket_sla_marks")
        .values({ ticket_id: ticketId, mark, at })
        .onConflict((oc) => oc.columns(["ticket_id", "mark"]).doNothing())
        .returning("mark")
        .executeTakeFirst();
      return row !== undefined;
    },
    async policy() {
      const row = await db
        .selectFrom("support_policies")
        .select("document")
        .where("id", "=", 1)
        .executeTakeFirst();
      return row ? (row.document as SupportPolicy) : null;
    },
    async putPolicy(policy, at) {
      await db
        .insertInto("support_policies")
        .values({ id: 1, document: JSON.stringify(policy), updated_at: at })
        .onConflict((oc) => oc.column("id").doUpdateSet({ document: JSON.stringify(policy), updated_at: at }))
        .execute();
    },
  };
  return store;
}
