/**
 * What members and agents see of a ticket. The member's view is built only from public and system
 * messages (the store never hands it an internal note) and carries no evidence or audit trail.
 */
import type { TargetClock } from "./sla-state.js";
import type {
  Agent,
  AttachmentMeta,
  EvidenceVersion,
  TicketEvent,
  TicketMessage,
  TicketRecord,
} from "./ticket-types.js";

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const agentView = (agent: Agent | undefined | null) =>
  agent ? { number: agent.number, displayName: agent.displayName } : null;

export function attachmentView(a: AttachmentMeta) {
  return { attachmentId: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
}

export function messageView(m: TicketMessage, attachments: AttachmentMeta[], agents: Map<string, Agent>) {
  const author = m.visibility === "system" ? "system" : m.author === "member" ? "member" : "agent";
  return {
    messageId: m.id,
    kind: m.visibility,
    author,
    // The number is kept on the message: what the member saw stays what they see.
    agent:
      author === "agent"
        ? { number: m.agentNumber ?? "", displayName: agents.get(m.author)?.displayName ?? null }
        : null,
    text: m.body,
    at: m.at.toISOString(),
    attachments: attachments.filter((a) => a.messageId === m.id).map(attachmentView),
  };
}

/** The next answer the member waits for ("we will answer by …"): the response target, else resolution. */
export function nextTarget(clocks: TargetClock[]) {
  const policy = clocks.filter((c) => c.target !== "promise");
  const next =
    policy.find((c) => c.target !== "resolution" && c.dueAt !== null) ?? policy.find((c) => c.dueAt !== null);
  return next ? { target: next.target, dueAt: isoMs(next.dueAt) as string } : null;
}

function commonView(t: TicketRecord, clocks: TargetClock[], agents: Map<string, Agent>) {
  return {
    ticketId: t.id,
    memberId: t.memberId,
    status: t.status,
    priority: t.priority,
    level: t.level,
    benefit: t.benefit,
    orderId: t.orderId,
    occurredAt: iso(t.occurredAt),
    where: t.where,
    expected: t.expected,
    actual: t.actual,
    classification: t.classification,
    promisedBy: iso(t.promisedBy),
    nextTarget: nextTarget(clocks),
    assignee: t.assignee === null ? null : agentView(agents.get(t.assignee)),
    resolution: t.resolution,
    breached: t.breached,
    rating:
      t.rating === null
        ? null
        : { score: t.rating.score, comment: t.rating.comment, at: t.rating.at.toISOString() },
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
  };
}

export function ticketSummaryView(t: TicketRecord, clocks: TargetClock[], agents: Map<string, Agent>) {
  return { ...commonView(t, clocks, agents), dueAt: iso(t.dueAt) };
}

export function memberTicketView(
  t: TicketRecord,
  clocks: TargetClock[],
  messages: TicketMessage[],
  attachments: AttachmentMeta[],
  agents: Map<string, Agent>,
) {
  return {
    ...commonView(t, clocks, agents),
    messages: messages.map((m) => messageView(m, attachments, agents)),
  };
}

export const clockView = (c: TargetClock) => ({
  target: c.target,
  dueAt: isoMs(c.dueAt),
  warnAt: isoMs(c.warnAt),
  remainingMs: c.remainingMs,
  breached: c.breached,
  running: c.running,
});

export function agentTicketView(
  t: TicketRecord,
  clocks: TargetClock[],
  messages: TicketMessage[],
  attachments: AttachmentMeta[],
  agents: Map<string, Agent>,
  evidence: EvidenceVersion[],
  events: TicketEvent[],
) {
  const latest = evidence[evidence.length - 1];
  return {
    ...memberTicketView(t, clocks, messages, attachments, agents),
    dueAt: iso(t.dueAt),
    openedBy: t.openedBy,
    clocks: clocks.map(clockView),
    evidence: latest ? evidenceView(latest) : null,
    evidenceVersions: evidence.map((v) => ({
      version: v.version,
      takenBy: v.takenBy,
      at: v.at.toISOString(),
    })),
    events: events.map((e) => ({ kind: e.kind, actor: e.actor, at: e.at.toISOString(), data: e.data })),
  };
}

export const evidenceView = (v: EvidenceVersion) => ({
  version: v.version,
  takenBy: v.takenBy,
  at: v.at.toISOString(),
  document: v.document,
});
