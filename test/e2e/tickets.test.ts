import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { TEST_ENGINES } from "../test-database.js";

const TICKET = { expected: "No ads after paying", actual: "Ads still show" };

/** Opening tickets with their evidence, the conversation with agent numbers, and the states. */
describe.each(TEST_ENGINES)("tickets on $name", (engine) => {
  let s: TestServer;
  let support: string;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    const key = await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } });
    support = key.body.key;
  });
  afterAll(() => s?.stop());

  const member = async (id: string) => {
    await s.createMember(id, { locale: "en" });
    return { id, token: await s.memberToken(id) };
  };

  it("a pending payment: the evidence holds the order and its payment events, priority high", async () => {
    const m = await member("tk-pending");
    const order = await s.createOrder(m.id, "vip_month");
    // The provider's first notification carried a wrong amount and was refused: the order stays pending.
    await s.request("POST", "/v1/me/sessions", {
      auth: m.token,
      body: { platform: "ios", version: "6.2.0", entitlementsVersion: 1 },
    });
    const wrong = await s.pay(order.orderId, order.amount.amount - 1);
    expect(wrong.status).toBe(422);
    const opened = await s.request("POST", "/v1/me/tickets", {
      auth: m.token,
      body: {
        ...TICKET,
        benefit: "ad_free",
        orderId: order.orderId,
        where: "app home",
        occurredAt: "2026-11-24T01:00:00Z",
      },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: "open", priority: "high", level: 1, benefit: "ad_free" });
    expect(opened.body.nextTarget.target).toBe("first_response");
    const page = await s.request("GET", `/v1/tickets/${opened.body.ticketId}`, { auth: support });
    expect(page.status).toBe(200);
    const evidence = page.body.evidence.document;
    expect(evidence.order.order.id).toBe(order.orderId);
    expect(evidence.order.paymentEvents).toMatchObject([
      { type: "payment.succeeded", outcome: "amount_mismatch" },
    ]);
    expect(evidence.diagnosis.causes).toContain("sync_delay");
    expect(evidence.member.orders[0].orderId).toBe(order.orderId);
    expect(evidence.catalogVersion).toBe(1);
    expect(evidence.latestSession).toMatchObject({ platform: "ios", version: "6.2.0" });
    expect(evidence.timeline.some((e: { kind: string }) => e.kind === "order.created")).toBe(true);
    // The change is an outbox event on the member's stream and a timeline entry.
    const outbox = await s.app.data.outbox.listForMember(m.id);
    expect(outbox.filter((e) => e.type === "ticket.opened")).toHaveLength(1);
    const timeline = await s.request("GET", "/v1/me/timeline", { auth: m.token });
    expect(timeline.body.entries.some((e: { kind: string }) => e.kind === "ticket.opened")).toBe(true);
  });

  it("a member with nothing paid: normal; another member's order answers 404", async () => {
    const a = await member("tk-normal");
    const b = await member("tk-other");
    const opened = await s.request("POST", "/v1/me/tickets", {
      auth: a.token,
      body: { ...TICKET, benefit: "ad_free" },
    });
    expect(opened.body.priority).toBe("normal");
    // A fresh diagnosis is a new evidence version; the first stays as it was.
    const paid = await s.createOrder(a.id, "vip_month");
    await s.pay(paid.orderId, paid.amount.amount);
    const fresh = await s.request("POST", `/v1/tickets/${opened.body.ticketId}/evidence`, { auth: support });
    expect(fresh.status).toBe(201);
    expect(fresh.body).toMatchObject({ version: 2, document: { diagnosis: { allowed: true } } });
    const page = (await s.request("GET", `/v1/tickets/${opened.body.ticketId}`, { auth: support })).body;
    expect(page.evidenceVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const first = await s.app.data.tickets.evidence(opened.body.ticketId);
    expect((first[0].document.diagnosis as { allowed: boolean }).allowed).toBe(false);
    const order = await s.createOrder(b.id, "vip_month");
    const foreign = await s.request("POST", "/v1/me/tickets", {
      auth: a.token,
      body: { ...TICKET, orderId: order.orderId },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("ORDER_NOT_FOUND");
  });

  it("agents answer with their number; a reply while waiting resumes; resolved reopens within 7 days only", async () => {
    const m = await member("tk-convo");
    const opened = await s.request("POST", "/v1/me/tickets", { auth: m.token, body: TICKET });
    const id = opened.body.ticketId;
    const me = await s.request("GET", "/v1/support/agents/me", { auth: support });
    expect(me.body.number).toMatch(/^A\d+$/);
    const reply = await s.request("POST", `/v1/tickets/${id}/replies`, {
      auth: support,
      body: { text: "Please send a screenshot <script>alert(1)</script>", waitOnMember: true },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe("waiting_on_member");
    const seen = await s.request("GET", `/v1/me/tickets/${id}`, { auth: m.token });
    const answer = seen.body.messages.find((x: { author: string }) => x.author === "agent");
    expect(answer.agent.number).toBe(me.body.number);
    // Plain text: stored and shown as it was written, never interpreted.
    expect(answer.text).toBe("Please send a screenshot <script>alert(1)</script>");
    expect(seen.body.nextTarget).toBeNull();
    const back = await s.request("POST", `/v1/me/tickets/${id}/replies`, {
      auth: m.token,
      body: { text: "here" },
    });
    expect(back.body.status).toBe("open");
    expect(back.body.nextTarget.target).toBe("next_response");
    const resolved = await s.request("POST", `/v1/tickets/${id}/resolve`, {
      auth: support,
      body: { resolution: "Refreshed your entitlements" },
    });
    expect(resolved.body.status).toBe("resolved");
    s.clock.advance(6 * 24 * 3600_000);
    const reopened = await s.request("POST", `/v1/me/tickets/${id}/replies`, {
      auth: m.token,
      body: { text: "again" },
    });
    expect(reopened.body.status).toBe("open");
    await s.request("POST", `/v1/tickets/${id}/resolve`, { auth: support, body: { resolution: "Done" } });
    s.clock.advance(8 * 24 * 3600_000);
    const late = await s.request("POST", `/v1/me/tickets/${id}/replies`, {
      auth: m.token,
      body: { text: "late" },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("TICKET_NOT_OPEN");
    const closed = await s.request("POST", `/v1/tickets/${id}/close`, { auth: support });
    expect(closed.body.status).toBe("closed");
    const kinds = closed.body.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([
      "opened",
      "replied",
      "member_replied",
      "resolved",
      "reopened",
      "resolved",
      "closed",
    ]);
  });

  it("another member's ticket answers like a missing one, on every member route", async () => {
    const a = await member("tk-own-a");
    const b = await member("tk-own-b");
    const opened = await s.request("POST", "/v1/me/tickets", { auth: a.token, body: TICKET });
    const id = opened.body.ticketId;
    const missing = "tkt_doesnotexist";
    for (const ticket of [id, missing]) {
      const answers = [
        await s.request("GET", `/v1/me/tickets/${ticket}`, { auth: b.token }),
        await s.request("POST", `/v1/me/tickets/${ticket}/replies`, { auth: b.token, body: { text: "x" } }),
        await s.request("POST", `/v1/me/tickets/${ticket}/escalate`, {
          auth: b.token,
          body: { reason: "x" },
        }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe("TICKET_NOT_FOUND");
      }
    }
    expect((await s.request("GET", "/v1/me/tickets", { auth: b.token })).body.tickets).toEqual([]);
  });

  it("the late payment arrives: a system message, resolved; closes after 3 days, or when confirmed", async () => {
    const m = await member("tk-late-pay");
    const order = await s.createOrder(m.id, "vip_month");
    const opened = await s.request("POST", "/v1/me/tickets", {
      auth: m.token,
      body: { ...TICKET, benefit: "ad_free", orderId: order.orderId },
    });
    const id = opened.body.ticketId;
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    let view: any;
    await eventually("the ticket resolves itself", async () => {
      view = (await s.request("GET", `/v1/me/tickets/${id}`, { auth: m.token })).body;
      return view.status === "resolved";
    });
    const system = view.messages.filter((x: { kind: string }) => x.kind === "system");
    expect(system).toHaveLength(1);
    expect(system[0].text).toContain("ad_free works for you now");
    s.clock.advance(3 * 24 * 3600_000 - 60_000);
    await s.app.scheduler.runDue();
    expect((await s.request("GET", `/v1/me/tickets/${id}`, { auth: m.token })).body.status).toBe("resolved");
    s.clock.advance(60_000);
    await s.app.scheduler.runDue();
    expect((await s.request("GET", `/v1/me/tickets/${id}`, { auth: m.token })).body.status).toBe("closed");

    // Another self-resolved ticket, confirmed by the member at once.
    const second = await s.request("POST", "/v1/me/tickets", {
      auth: m.token,
      body: { ...TICKET, benefit: "vip_zone" },
    });
    const early = await s.request("POST", `/v1/me/tickets/${second.body.ticketId}/confirm`, {
      auth: m.token,
    });
    expect(early.status).toBe(409);
    await s.request("POST", `/v1/tickets/${second.body.ticketId}/resolve`, {
      auth: support,
      body: { resolution: "ok" },
    });
    const confirmed = await s.request("POST", `/v1/me/tickets/${second.body.ticketId}/confirm`, {
      auth: m.token,
    });
    expect(confirmed.body.status).toBe("closed");
  });

  it("satisfaction: after resolution, 1–5 once; agents and the stats see the average", async () => {
    const m = await member("tk-rate");
    const opened = await s.request("POST", "/v1/me/tickets", { auth: m.token, body: TICKET });
    const id = opened.body.ticketId;
    const rate = (body: unknown) => s.request("POST", `/v1/me/tickets/${id}/rating`, { auth: m.token, body });
    expect((await rate({ score: 5 })).body.error.code).toBe("TICKET_NOT_OPEN");
    await s.request("POST", `/v1/tickets/${id}/resolve`, { auth: support, body: { resolution: "done" } });
    expect((await rate({ score: 0 })).status).toBe(400);
    const rated = await rate({ score: 4, comment: "quick, thanks" });
    expect(rated.status).toBe(200);
    expect(rated.body.rating).toMatchObject({ score: 4, comment: "quick, thanks" });
    const again = await rate({ score: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
    expect((await s.request("GET", `/v1/tickets/${id}`, { auth: support })).body.rating.score).toBe(4);
    const stats = await s.request("GET", "/v1/support/stats", { auth: support });
    expect(stats.status).toBe(200);
    expect(stats.body.satisfaction).toEqual({ ratings: 1, average: 4 });
  });
});
