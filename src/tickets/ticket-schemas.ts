/** Request and response schemas of the support desk's routes. */
import { Type } from "@sinclair/typebox";
import { Code, Nullable, NullableTime, OneOf, OPEN, Time } from "../http/schemas.js";
import { WEEKDAYS } from "../time/business-calendar.js";
import { MAX_ATTACHMENTS } from "./ticket-attachments.js";
import { CLASSIFICATIONS, PRIORITIES, SLA_TARGETS, TICKET_STATUSES } from "./ticket-types.js";

export const TicketId = Type.String({ pattern: "^tkt_[A-Za-z0-9_-]{1,64}$", description: "A ticket id." });
export const AttachmentId = Type.String({
  pattern: "^att_[A-Za-z0-9_-]{1,64}$",
  description: "An attachment id.",
});
export const TicketParams = Type.Object({ ticketId: TicketId }, { additionalProperties: false });
export const AttachmentParams = Type.Object(
  { ticketId: TicketId, attachmentId: AttachmentId },
  { additionalProperties: false },
);
export const AgentNumber = Type.String({
  pattern: "^A[0-9]{1,15}$",
  description: "An agent's public number (工号).",
});

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const Attachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 200, pattern: "^[^/\\\\\\u0000-\\u001f]+$" }),
    content: Type.String({
      maxLength: 7_000_000,
      description: "The file's bytes, base64 (at most 5 MB decoded).",
    }),
  },
  { additionalProperties: false },
);
const Attachments = Type.Array(Attachment, {
  maxItems: MAX_ATTACHMENTS,
  description: "PNG, JPEG, WebP or PDF, recognised by their bytes; at most 5 of 5 MB each.",
});

export const OpenTicketBody = Type.Object(
  {
    benefit: Type.Optional(Code),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" })),
    occurredAt: Type.Optional(Time),
    where: Type.Optional(Text(500)),
    expected: Text(4000),
    actual: Text(4000),
    attachments: Type.Optional(Attachments),
  },
  { additionalProperties: false },
);

export const ReplyBody = Type.Object(
  { text: Text(10_000), attachments: Type.Optional(Attachments) },
  { additionalProperties: false },
);
export const AgentReplyBody = Type.Object(
  {
    text: Text(10_000),
    attachments: Type.Optional(Attachments),
    waitOnMember: Type.Optional(
      Type.Boolean({ description: "Put the ticket on the member's side (the clock pauses)." }),
    ),
  },
  { additionalProperties: false },
);
export const NoteBody = Type.Object({ text: Text(10_000) }, { additionalProperties: false });
export const RateBody = Type.Object(
  { score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);
export const DeskStats = Type.Object({
  open: Type.Integer(),
  waitingOnMember: Type.Integer(),
  breached: Type.Integer(),
  satisfaction: Type.Object({ ratings: Type.Integer(), average: Nullable(Type.Number()) }),
});
export const EscalateBody = Type.Object({ reason: Text(2000) }, { additionalProperties: false });
export const AssignBody = Type.Object(
  { agent: Type.Union([AgentNumber, Type.Literal("me")]) },
  { additionalProperties: false },
);
export const ResolveBody = Type.Object({ resolution: Text(10_000) }, { additionalProperties: false });
export const FieldsBody = Type.Object(
  {
    classification: Type.Optional(Nullable(OneOf(CLASSIFICATIONS))),
    promisedBy: Type.Optional(NullableTime),
    priority: Type.Optional(OneOf(PRIORITIES)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const AgentNameBody = Type.Object(
  { displayName: Nullable(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

export const QueueQuery = Type.Object(
  {
    status: Type.Optional(OneOf(TICKET_STATUSES)),
    priority: Type.Optional(OneOf(PRIORITIES)),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    assignee: Type.Optional(Type.Union([AgentNumber, Type.Literal("me"), Type.Literal("none")])),
    breached: Type.Optional(Type.Boolean()),
    sort: Type.Optional(Type.Literal("due", { description: "Soonest due first (the only order)." })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: "^[A-Za-z0-9_-]+$" })),
  },
  { additionalProperties: false },
);

const Interval = Type.Object({ from: Type.String(), to: Type.String() }, { additionalProperties: false });
const Intervals = Type.Array(Interval, { maxItems: 12 });
const Targets = Type.Object(
  {
    firstResponse: Type.String({ maxLength: 40 }),
    nextResponse: Type.String({ maxLength: 40 }),
    resolution: Type.String({ maxLength: 40 }),
    warnBefore: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: false },
);
export const PolicySchema = Type.Object(
  {
    calendar: Type.Object(
      {
        timeZone: Type.String({ minLength: 1, maxLength: 64 }),
        week: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Intervals)])), {
          additionalProperties: false,
        }),
        publicHolidays: OneOf(["cn", "none"] as const),
        closedDates: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 1000 })),
        openDates: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 1000 })),
        makeUpHours: Type.Optional(Intervals),
      },
      { additionalProperties: false },
    ),
    priorities: Type.Object(Object.fromEntries(PRIORITIES.map((p) => [p, Targets])), {
      additionalProperties: false,
    }),
    autoCloseAfter: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: false, $id: "SupportPolicy" },
);

const AgentSchema = Type.Object({ number: Type.String(), displayName: Nullable(Type.String()) });
const NextTarget = Nullable(Type.Object({ target: OneOf(SLA_TARGETS), dueAt: Time }));
const AttachmentView = Type.Object({
  attachmentId: Type.String(),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
});
const MessageView = Type.Object({
  messageId: Type.String(),
  kind: OneOf(["public", "internal", "system"] as const),
  author: OneOf(["member", "agent", "system"] as const),
  agent: Nullable(AgentSchema),
  text: Type.String(),
  at: Time,
  attachments: Type.Array(AttachmentView),
});
const common = {
  ticketId: Type.String(),
  memberId: Type.String(),
  status: OneOf(TICKET_STATUSES),
  priority: OneOf(PRIORITIES),
  level: Type.Integer(),
  benefit: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
  occurredAt: NullableTime,
  where: Nullable(Type.String()),
  expected: Type.String(),
  actual: Type.String(),
  classification: Nullable(Type.String()),
  promisedBy: NullableTime,
  nextTarget: NextTarget,
  assignee: Nullable(AgentSchema),
  resolution: Nullable(Type.String()),
  breached: Type.Boolean(),
  rating: Nullable(Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()), at: Time })),
  createdAt: Time,
  updatedAt: Time,
  resolvedAt: NullableTime,
  closedAt: NullableTime,
};
export const TicketSummary = Type.Object({ ...common, dueAt: NullableTime }, { additionalProperties: false });
export const MemberTicket = Type.Object(
  { ...common, messages: Type.Array(MessageView) },
  { additionalProperties: false, $id: "MemberTicket" },
);
const Clock = Type.Object({
  target: OneOf([...SLA_TARGETS, "promise"] as const),
  dueAt: NullableTime,
  warnAt: NullableTime,
  remainingMs: Type.Number(),
  breached: Type.Boolean(),
  running: Type.Boolean(),
});
export const EvidenceView = Type.Object({
  version: Type.Integer(),
  takenBy: Type.String(),
  at: Time,
  document: Type.Object({}, OPEN),
});
export const AgentTicket = Type.Object(
  {
    ...common,
    messages: Type.Array(MessageView),
    dueAt: NullableTime,
    openedBy: Type.String(),
    clocks: Type.Array(Clock),
    evidence: Nullable(EvidenceView),
    evidenceVersions: Type.Array(Type.Object({ version: Type.Integer(), takenBy: Type.String(), at: Time })),
    events: Type.Array(
      Type.Object({ kind: Type.String(), actor: Type.String(), at: Time, data: Type.Object({}, OPEN) }),
    ),
  },
  { additionalProperties: false, $id: "AgentTicket" },
);
export const MyTickets = Type.Object({ tickets: Type.Array(TicketSummary) });
export const TicketQueue = Type.Object({
  tickets: Type.Array(TicketSummary),
  nextCursor: Nullable(Type.String()),
});
export const Escalation = Type.Object({
  ticketId: Type.String(),
  level: Type.Integer(),
  nextTarget: NextTarget,
  agent: Nullable(AgentSchema),
});
export const Agent = AgentSchema;
export const Binary = Type.Unsafe<Buffer>({
  type: "string",
  format: "binary",
  description: "The file's bytes.",
});
