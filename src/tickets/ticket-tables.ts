/** Kysely table types of the support desk (migration 0018); merged into `Database` in db/schema.ts. */
import type { ColumnType, Generated } from "kysely";
import type { CreatedAt, Json } from "../db/column-types.js";

export interface SupportAgentsTable {
  key_id: string;
  number: ColumnType<string, never, never>;
  display_name: string | null;
  created_at: CreatedAt;
}

export interface TicketsTable {
  id: string;
  member_id: string;
  benefit: string | null;
  order_id: string | null;
  occurred_at: Date | null;
  place: string | null;
  expected: string;
  actual: string;
  status: string;
  priority: string;
  level: Generated<number>;
  classification: string | null;
  promised_by: Date | null;
  assignee: string | null;
  opened_by: string;
  resolution: string | null;
  sla: Json<unknown>;
  due_at: Date;
  breached: Generated<boolean>;
  rating: ColumnType<number | null, number | null | undefined, number | null>;
  rating_comment: ColumnType<string | null, string | null | undefined, string | null>;
  rated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
}

export interface TicketMessagesTable {
  id: Generated<string>;
  ticket_id: string;
  visibility: string;
  author: string;
  agent_number: string | null;
  body: string;
  at: Date;
}

export interface TicketAttachmentsTable {
  id: string;
  ticket_id: string;
  message_id: string;
  position: number;
  filename: string;
  content_type: string;
  size: number;
  data: Uint8Array;
  at: Date;
}

export interface TicketEvidenceTable {
  ticket_id: string;
  version: number;
  taken_by: string;
  at: Date;
  document: Json<unknown>;
}

export interface TicketEventsTable {
  id: Generated<string>;
  ticket_id: string;
  kind: string;
  actor: string;
  at: Date;
  data: Json<unknown>;
}

export interface TicketSlaMarksTable {
  ticket_id: string;
  mark: string;
  at: Date;
}

export interface SupportPoliciesTable {
  id: number;
  document: Json<unknown>;
  updated_at: Date;
}

export interface TicketTables {
  support_agents: SupportAgentsTable;
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
  ticket_attachments: TicketAttachmentsTable;
  ticket_evidence: TicketEvidenceTable;
  ticket_events: TicketEventsTable;
  ticket_sla_marks: TicketSlaMarksTable;
  support_policies: SupportPoliciesTable;
}
