import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { DEFAULT_SUPPORT_POLICY } from "../../src/tickets/support-policy.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** Shanghai is UTC+8 all year: 09:00 there is 01:00Z. */
const cst = (local: string) => Date.parse(`${local}+08:00`);
const iso = (local: string) => new Date(cst(local)).toISOString();
const TICKET = { expected: "an answer", actual: "silence" };

/** One 09:00–18:00 interval on weekdays, China's holidays and make-up days; short targets for `normal`. */
const POLICY = {
  ...DEFAULT_SUPPORT_POLICY,
  calendar: {
    timeZone: "Asia/Shanghai",
    week: Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: "09:00", to: "18:00" }]]),
    ),
    publicHolidays: "cn",
  },
  priorities: {
    ...DEFAULT_SUPPORT_POLICY.priorities,
    normal: { firstResponse: "PT4H", nextResponse: "PT8H", resolution: "PT20H", warnBefore: "PT1H" },
  },
};

/** SLA targets in business time, pauses, warnings, breaches and escalation, with a moved clock. */
describe.each(TEST_ENGINES)("ticket SLAs on $name", (engine) => {
  let s: TestServer;
  let support: string;
  let agent: string;
  beforeAll(async () => {
    s = await TestServer.start(engine, cst("2025-12-31T17:00:00"));
    await s.putCatalog(DEMO_CATALOG);
    support = (await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } })).body.key;
    agent = (await s.request("GET", "/v1/support/agents/me", { auth: support })).body.number;
    const put = await s.request("PUT", "/v1/support/policies", { body: POLICY });
    expect(put.status).toBe(200);
  });
  afterAll(() => s?.stop());

  const open = async (memberId: string) => {
    await s.createMember(memberId);
    const token = await s.memberToken(memberId);
    const res = await s.request("POST", "/v1/me/tickets", { auth: token, body: TICKET });
    expect(res.status).toBe(201);
    return { token, id: res.body.ticketId as string, body: res.body };
  };
  const agentView = async (id: string) =>
    (await s.request("GET", `/v1/tickets/${id}`, { auth: support })).body;
  const clock = (view: { clocks: Record<string, unknown>[] }, target: string) =>
    view.clocks.find((c) => c.target === target) as unknown as {
      dueAt: string | null;
      running: boolean;
      breached: boolean;
    };

  it("refuses a bad policy with every problem at once; only admins may put one", async () => {
    const bad = structuredClone(POLICY) as any;
    bad.calendar.timeZone = "Mars/Olympus";
    bad.calendar.week.mon = [{ from: "18:00", to: "09:00" }];
    bad.priorities.high.firstResponse = "P1D";
    bad.priorities.low.warnBefore = "PT100H";
    const res = await s.request("PUT", "/v1/support/policies", { body: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "/calendar/timeZone",
      "/calendar/week/mon/0",
      "/priorities/high/firstResponse",
      "/priorities/low/warnBefore",
      "/priorities/low/warnBefore",
      "/priorities/low/warnBefore",
    ]);
    expect((await s.request("PUT", "/v1/support/policies", { auth: support, body: POLICY })).status).toBe(
      403,
    );
    expect(
      (await s.request("GET", "/v1/support/policies", { auth: support })).body.priorities.normal
        .firstResponse,
    ).toBe("PT4H");
  });

  it("counts over New Year's holidays and the make-up Sunday; warns, breaches and escalates once", async () => {
    // Wed 31 Dec 17:00: 1 h left that day; 1–3 Jan are holidays; Sun 4 Jan is a make-up working day.
    s.clock.set(cst("2025-12-31T17:00:00"));
    const t = await open("sla-newyear");
    expect(t.body.nextTarget).toEqual({ target: "first_response", dueAt: iso("2026-01-04T12:00:00") });
    const view = await agentView(t.id);
    expect(clock(view, "resolution").dueAt).toBe(iso("2026-01-06T10:00:00"));

    s.clock.set(cst("2026-01-04T11:00:00"));
    await s.app.scheduler.runDue();
    let page = await agentView(t.id);
    expect(page.events.map((e: { kind: string }) => e.kind)).toEqual(["opened", "sla_warning"]);
    expect(page.level).toBe(1);

    s.clock.set(cst("2026-01-04T12:00:00"));
    await s.app.scheduler.runDue();
    expect((await agentView(t.id)).level).toBe(1);

    s.clock.set(cst("2026-01-04T12:01:00"));
    await s.app.scheduler.runDue();
    await s.app.scheduler.runDue();
    page = await agentView(t.id);
    expect(page.level).toBe(2);
    expect(page.breached).toBe(true);
    const breaches = page.events.filter((e: { kind: string }) => e.kind === "sla_breached");
    expect(breaches).toHaveLength(1);
    expect(breaches[0].data).toMatchObject({
      target: "first_response",
      dueAt: iso("2026-01-04T12:00:00"),
      level: 1,
    });
    const escalations = page.events.filter((e: { kind: string }) => e.kind === "escalated");
    expect(escalations).toHaveLength(1);
    expect(escalations[0].data).toMatchObject({
      level: 2,
      by: "system",
      missed: { target: "first_response" },
    });
    // The new level owes a next response: 8 business hours from 12:01 on the make-up Sunday.
    expect(clock(page, "next_response").dueAt).toBe(iso("2026-01-05T11:01:00"));
    const outbox = (await s.app.data.outbox.listForMember("sla-newyear")).map((e) => e.type);
    expect(outbox.filter((type) => type === "ticket.sla_breached")).toHaveLength(1);
    expect(outbox.filter((type) => type === "ticket.sla_warning")).toHaveLength(1);
  });

  it("a plain weekend: Friday 17:00 + 4 h is Monday 12:00", async () => {
    s.clock.set(cst("2026-01-09T17:00:00"));
    const t = await open("sla-weekend");
    expect(t.body.nextTarget.dueAt).toBe(iso("2026-01-12T12:00:00"));
  });

  it("pauses while waiting on the member and resumes with what it used", async () => {
    s.clock.set(cst("2026-01-12T09:00:00"));
    const t = await open("sla-pause");
    s.clock.set(cst("2026-01-12T10:00:00"));
    await s.request("POST", `/v1/tickets/${t.id}/replies`, {
      auth: support,
      body: { text: "Which device?", waitOnMember: true },
    });
    let page = await agentView(t.id);
    expect(page.status).toBe("waiting_on_member");
    expect(clock(page, "resolution")).toMatchObject({ running: false, dueAt: null });
    expect(page.dueAt).toBeNull();
    // Two days later, long past every target had the clock run: nothing is breached.
    s.clock.set(cst("2026-01-14T09:00:00"));
    await s.app.scheduler.runDue();
    expect((await agentView(t.id)).breached).toBe(false);
    const back = await s.request("POST", `/v1/me/tickets/${t.id}/replies`, {
      auth: t.token,
      body: { text: "iPhone" },
    });
    expect(back.body.nextTarget).toEqual({ target: "next_response", dueAt: iso("2026-01-14T17:00:00") });
    page = await agentView(t.id);
    // 1 h used before the pause: 19 h left from Wednesday 09:00.
    expect(clock(page, "resolution")).toMatchObject({ running: true, dueAt: iso("2026-01-16T10:00:00") });
  });

  it("member escalation: refused before a miss, accepted after, naming level, target and agent", async () => {
    s.clock.set(cst("2026-01-12T09:00:00"));
    const t = await open("sla-escalate");
    await s.request("POST", `/v1/tickets/${t.id}/assign`, { auth: support, body: { agent: "me" } });
    const early = await s.request("POST", `/v1/me/tickets/${t.id}/escalate`, {
      auth: t.token,
      body: { reason: "no answer" },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("ESCALATION_NOT_ALLOWED");
    expect(early.body.error.details[0].nextTarget.dueAt).toBe(iso("2026-01-12T13:00:00"));
    // A promise missed is a miss like any other (the scheduler has not run yet).
    await s.request("PATCH", `/v1/tickets/${t.id}`, {
      auth: support,
      body: { promisedBy: iso("2026-01-12T10:00:00"), classification: "technical_fault" },
    });
    const promised = await s.request("GET", `/v1/me/tickets/${t.id}`, { auth: t.token });
    expect(promised.body).toMatchObject({
      promisedBy: iso("2026-01-12T10:00:00"),
      classification: "technical_fault",
    });
    s.clock.set(cst("2026-01-12T10:30:00"));
    const late = await s.request("POST", `/v1/me/tickets/${t.id}/escalate`, {
      auth: t.token,
      body: { reason: "you promised 10:00" },
    });
    expect(late.status).toBe(200);
    expect(late.body).toEqual({
      ticketId: t.id,
      level: 2,
      nextTarget: { target: "next_response", dueAt: iso("2026-01-13T09:30:00") },
      agent: { number: agent, displayName: null },
    });
    const twice = await s.request("POST", `/v1/me/tickets/${t.id}/escalate`, {
      auth: t.token,
      body: { reason: "again" },
    });
    expect(twice.status).toBe(409);
  });
});
