/**
 * The support desk's routes with bodies of the default 1 MiB limit, as the malformed-input suites
 * send them. The routes that take attachments (opening a ticket, replies) accept bodies of about
 * 34 MB; their refusals are tested in ticket-attachments.test.ts.
 */
import { DEFAULT_SUPPORT_POLICY } from "../../../src/tickets/support-policy.js";
import type { BodyEndpoint } from "./malformed-fixtures.js";

const NO_TICKET = "tkt_mi_missing";

export const TICKET_BODY_ENDPOINTS: readonly BodyEndpoint[] = [
  {
    name: "ticket escalation",
    method: "POST",
    path: `/v1/me/tickets/${NO_TICKET}/escalate`,
    as: "member",
    valid: () => ({ reason: "no answer" }),
    missing: {},
    wrongTypes: [{ reason: "" }, { reason: 1 }, { reason: "x".repeat(2001) }],
  },
  {
    name: "ticket rating",
    method: "POST",
    path: `/v1/me/tickets/${NO_TICKET}/rating`,
    as: "member",
    valid: () => ({ score: 5 }),
    missing: { comment: "ok" },
    wrongTypes: [{ score: 0 }, { score: 6 }, { score: 4.5 }, { score: "5" }],
  },
  {
    name: "ticket note",
    method: "POST",
    path: `/v1/tickets/${NO_TICKET}/notes`,
    valid: () => ({ text: "internal" }),
    missing: {},
    wrongTypes: [{ text: "" }, { text: ["a"] }],
  },
  {
    name: "ticket resolution",
    method: "POST",
    path: `/v1/tickets/${NO_TICKET}/resolve`,
    valid: () => ({ resolution: "fixed" }),
    missing: {},
    wrongTypes: [{ resolution: null }],
  },
  {
    name: "ticket assignment",
    method: "POST",
    path: `/v1/tickets/${NO_TICKET}/assign`,
    valid: () => ({ agent: "me" }),
    missing: {},
    wrongTypes: [{ agent: "B12" }, { agent: "A" }, { agent: 1001 }],
    inject: (s) => [{ agent: s }],
  },
  {
    name: "ticket fields",
    method: "PATCH",
    path: `/v1/tickets/${NO_TICKET}`,
    valid: () => ({ priority: "high" }),
    missing: {},
    wrongTypes: [{ priority: "highest" }, { classification: "bug" }, { promisedBy: "tomorrow" }],
  },
  {
    name: "support policy",
    method: "PUT",
    path: "/v1/support/policies",
    valid: () => structuredClone(DEFAULT_SUPPORT_POLICY) as unknown as Record<string, unknown>,
    missing: { calendar: DEFAULT_SUPPORT_POLICY.calendar },
    wrongTypes: [
      { ...DEFAULT_SUPPORT_POLICY, calendar: { ...DEFAULT_SUPPORT_POLICY.calendar, publicHolidays: "us" } },
      { ...DEFAULT_SUPPORT_POLICY, priorities: { high: DEFAULT_SUPPORT_POLICY.priorities.high } },
    ],
  },
  {
    name: "agent name",
    method: "PUT",
    path: "/v1/support/agents/me",
    valid: () => ({ displayName: "Li" }),
    missing: {},
    wrongTypes: [{ displayName: "" }, { displayName: 7 }],
  },
];
