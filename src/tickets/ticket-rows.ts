/** Rows of the support desk's tables turned into records (ticket-store.ts reads and writes them). */
import type { Selectable } from "kysely";
import type { TicketsTable } from "./ticket-tables.js";
import type {
  Agent,
  AttachmentMeta,
  Classification,
  Priority,
  SlaState,
  TicketRecord,
  TicketStatus,
} from "./ticket-types.js";

/** The queue's sort key for a ticket with no running target. */
export const NEVER = new Date("9999-12-31T00:00:00Z");
const dateOrNull = (v: Date | string | null) => (v === null ? null : new Date(v));

export function toRecord(row: Selectable<TicketsTable>): TicketRecord {
  const due = new Date(row.due_at);
  return {
    id: row.id,
    memberId: row.member_id,
    benefit: row.benefit,
    orderId: row.order_id,
    occurredAt: dateOrNull(row.occurred_at),
    where: row.place,
    expected: row.expected,
    actual: row.actual,
    status: row.status as TicketStatus,
    priority: row.priority as Priority,
    level: row.level,
    classification: row.classification as Classification | null,
    promisedBy: dateOrNull(row.promised_by),
    assignee: row.assignee,
    openedBy: row.opened_by,
    resolution: row.resolution,
    sla: row.sla as SlaState,
    dueAt: due.getTime() >= NEVER.getTime() ? null : due,
    breached: row.breached,
    rating:
      row.rating === null
        ? null
        : { score: row.rating, comment: row.rating_comment, at: new Date(row.rated_at as Date) },
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    resolvedAt: dateOrNull(row.resolved_at),
    closedAt: dateOrNull(row.closed_at),
  };
}

export const toAgent = (r: {
  key_id: string;
  number: string | number;
  display_name: string | null;
}): Agent => ({
  keyId: r.key_id,
  number: `A${r.number}`,
  displayName: r.display_name,
});

export const toMeta = (r: {
  id: string;
  ticket_id: string;
  message_id: string | number;
  filename: string;
  content_type: string;
  size: number;
  at: Date;
}): AttachmentMeta => ({
  id: r.id,
  ticketId: r.ticket_id,
  messageId: String(r.message_id),
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  at: new Date(r.at),
});

export const META = [
  "id",
  "ticket_id",
  "message_id",
  "position",
  "filename",
  "content_type",
  "size",
  "at",
] as const;
