/** What the support desk's records are, for its store, service and views. */
import type { RunningSpan } from "../time/business-time.js";

export const TICKET_STATUSES = ["open", "waiting_on_member", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ["urgent", "high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** DESIGN, "Support desk": the problem classes an agent states. */
export const CLASSIFICATIONS = [
  "technical_fault",
  "rule_condition",
  "account_risk",
  "member_action_needed",
  "platform_policy",
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const SLA_TARGETS = ["first_response", "next_response", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
/** A target that can be missed: a policy target or the agent's promise. */
export type MissableTarget = SlaTarget | "promise";

/**
 * The ticket's SLA clocks. `resolution` runs from opening (and again from a reopening) until
 * resolved; `response` is the answer the member is waiting for (first, then next), null when the
 * last word is the desk's. Both pause while the ticket waits on the member. Cycles number the
 * instances of a target, so a warning or breach is recorded once per instance.
 */
export interface SlaState {
  resolution: { cycle: number; spans: RunningSpan[] };
  response: { target: "first_response" | "next_response"; cycle: number; spans: RunningSpan[] } | null;
  responseCycles: number;
  /** When the last missed target (or promise) fell due: a member may escalate after it. */
  lastMissAt?: number;
  /** When the member last escalated: a new miss is needed to escalate again. */
  memberEscalatedAt?: number;
}

export interface TicketRecord {
  id: string;
  memberId: string;
  benefit: string | null;
  orderId: string | null;
  occurredAt: Date | null;
  where: string | null;
  expected: string;
  actual: string;
  status: TicketStatus;
  priority: Priority;
  level: number;
  classification: Classification | null;
  promisedBy: Date | null;
  /** The assigned agent's key id. */
  assignee: string | null;
  openedBy: string;
  resolution: string | null;
  sla: SlaState;
  dueAt: Date | null;
  breached: boolean;
  /** The member's satisfaction (1–5) with an optional comment; null until rated. */
  rating: { score: number; comment: string | null; at: Date } | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export type MessageVisibility = "public" | "internal" | "system";

export interface TicketMessage {
  id: string;
  ticketId: string;
  visibility: MessageVisibility;
  /** `member`, `system`, or the agent's key id. */
  author: string;
  agentNumber: string | null;
  body: string;
  at: Date;
}

export interface AttachmentMeta {
  id: string;
  ticketId: string;
  messageId: string;
  filename: string;
  contentType: string;
  size: number;
  at: Date;
}

export interface NewAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface Agent {
  keyId: string;
  /** The public number, `A` + digits. */
  number: string;
  displayName: string | null;
}

export interface TicketEvent {
  ticketId: string;
  kind: string;
  actor: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface EvidenceVersion {
  ticketId: string;
  version: number;
  takenBy: string;
  at: Date;
  document: Record<string, unknown>;
}
