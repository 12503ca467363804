/** The authorization matrix's rows for the support desk (issue 16). */
import { DEFAULT_SUPPORT_POLICY } from "../../../src/tickets/support-policy.js";
import type { Endpoint, Fixture } from "./auth-endpoints.js";

const A = (f: Fixture) => encodeURIComponent(f.memberA);
const TICKET = { expected: "no ads", actual: "ads" };
const AGENTS = ["support"] as const;

export const TICKET_ENDPOINTS: readonly Endpoint[] = [
  {
    method: "POST",
    template: "/v1/me/tickets",
    who: ["member"],
    path: () => "/v1/me/tickets",
    body: () => TICKET,
  },
  {
    method: "POST",
    template: "/v1/members/{memberId}/tickets",
    who: ["service", "support"],
    path: (f) => `/v1/members/${A(f)}/tickets`,
    body: () => TICKET,
  },
  { method: "GET", template: "/v1/me/tickets", who: ["member"], path: () => "/v1/me/tickets" },
  {
    method: "GET",
    template: "/v1/me/tickets/{ticketId}",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}`,
    // Bob: Alice's ticket answers like a missing one.
    ok: [200, 404],
  },
  {
    method: "POST",
    template: "/v1/me/tickets/{ticketId}/replies",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}/replies`,
    body: () => ({ text: "any news?" }),
    ok: [200, 404],
  },
  {
    method: "POST",
    template: "/v1/me/tickets/{ticketId}/escalate",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}/escalate`,
    body: () => ({ reason: "too slow" }),
    // Alice: nothing was missed yet (409); Bob: not his ticket (404).
    ok: [409, 404],
  },
  {
    method: "POST",
    template: "/v1/me/tickets/{ticketId}/rating",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}/rating`,
    body: () => ({ score: 5 }),
    // Alice's ticket is not resolved (409); Bob: not his (404).
    ok: [409, 404],
  },
  {
    method: "POST",
    template: "/v1/me/tickets/{ticketId}/confirm",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}/confirm`,
    // Alice's ticket is not resolved (409); Bob: not his (404).
    ok: [409, 404],
  },
  {
    method: "GET",
    template: "/v1/me/tickets/{ticketId}/attachments/{attachmentId}",
    who: ["member"],
    path: (f) => `/v1/me/tickets/${f.ticketA}/attachments/${f.attachmentA}`,
    ok: [200, 404],
  },
  { method: "GET", template: "/v1/tickets", who: AGENTS, path: () => "/v1/tickets?sort=due&status=open" },
  { method: "GET", template: "/v1/tickets/{ticketId}", who: AGENTS, path: (f) => `/v1/tickets/${f.ticketA}` },
  {
    method: "PATCH",
    template: "/v1/tickets/{ticketId}",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}`,
    body: () => ({ priority: "high", classification: "technical_fault" }),
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/replies",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/replies`,
    body: () => ({ text: "We are on it" }),
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/notes",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/notes`,
    body: () => ({ text: "internal" }),
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/assign",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/assign`,
    body: () => ({ agent: "me" }),
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/unassign",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/unassign`,
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/evidence",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/evidence`,
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/resolve",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketB}/resolve`,
    body: () => ({ resolution: "fixed" }),
    // The first agent resolves it; the next finds it resolved.
    ok: [200, 409],
  },
  {
    method: "POST",
    template: "/v1/tickets/{ticketId}/close",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketB}/close`,
    ok: [200, 409],
  },
  {
    method: "GET",
    template: "/v1/tickets/{ticketId}/attachments/{attachmentId}",
    who: AGENTS,
    path: (f) => `/v1/tickets/${f.ticketA}/attachments/${f.attachmentA}`,
  },
  { method: "GET", template: "/v1/support/stats", who: AGENTS, path: () => "/v1/support/stats" },
  { method: "GET", template: "/v1/support/agents/me", who: AGENTS, path: () => "/v1/support/agents/me" },
  {
    method: "PUT",
    template: "/v1/support/agents/me",
    who: AGENTS,
    path: () => "/v1/support/agents/me",
    body: () => ({ displayName: "Matrix" }),
  },
  { method: "GET", template: "/v1/support/policies", who: AGENTS, path: () => "/v1/support/policies" },
  {
    method: "PUT",
    template: "/v1/support/policies",
    who: ["admin"],
    path: () => "/v1/support/policies",
    body: () => DEFAULT_SUPPORT_POLICY,
  },
];
