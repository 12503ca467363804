import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const SECRET = "INTERNAL-ONLY-7f3a: refund abuse suspected";

/** Internal notes never reach the member: walk every member route the API document lists. */
describe.each(TEST_ENGINES)("internal notes on $name", (engine) => {
  let s: TestServer;
  let support: string;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    support = (await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } })).body.key;
  });
  afterAll(() => s?.stop());

  it("appear on the agents' page and in no member answer, stream event or timeline entry", async () => {
    await s.createMember("notes-m", { locale: "en" });
    const token = await s.memberToken("notes-m");
    const order = await s.createOrder("notes-m", "vip_month");
    const opened = await s.request("POST", "/v1/me/tickets", {
      auth: token,
      body: { benefit: "ad_free", orderId: order.orderId, expected: "no ads", actual: "ads" },
    });
    const id = opened.body.ticketId;
    const note = await s.request("POST", `/v1/tickets/${id}/notes`, {
      auth: support,
      body: { text: SECRET },
    });
    expect(note.status).toBe(200);
    expect(note.body.messages.find((m: { kind: string }) => m.kind === "internal").text).toBe(SECRET);
    await s.request("POST", `/v1/tickets/${id}/replies`, {
      auth: support,
      body: { text: "Looking into it" },
    });
    await s.request("POST", `/v1/tickets/${id}/notes`, { auth: support, body: { text: SECRET } });

    const answers: unknown[] = [];
    const spec = (await s.request("GET", "/openapi.json", { auth: null })).body;
    const memberGets = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .filter(([path, ops]) => path.startsWith("/v1/me") && ops.get && path !== "/v1/me/events")
      .map(([path]) => path);
    expect(memberGets).toContain("/v1/me/tickets/{ticketId}");
    for (const path of memberGets) {
      if (path.includes("/attachments/")) continue;
      const concrete = path
        .replace("{ticketId}", id)
        .replace("{holdId}", "hold_none")
        .replace("{benefit}", "ad_free");
      const res = await s.request("GET", concrete, { auth: token });
      expect(res.status, concrete).toBeLessThan(500);
      answers.push(res.body);
    }
    answers.push(
      (await s.request("POST", `/v1/me/tickets/${id}/replies`, { auth: token, body: { text: "ok" } })).body,
    );
    answers.push(
      (await s.request("POST", `/v1/me/tickets/${id}/escalate`, { auth: token, body: { reason: "x" } })).body,
    );
    answers.push(
      (await s.request("POST", "/v1/me/tickets", { auth: token, body: { expected: "a", actual: "b" } })).body,
    );
    answers.push(await s.app.data.outbox.listForMember("notes-m"));
    answers.push(await s.app.data.timeline.listForMember("notes-m"));
    for (const answer of answers) {
      expect(JSON.stringify(answer)).not.toContain("INTERNAL-ONLY-7f3a");
      expect(JSON.stringify(answer)).not.toContain('"internal"');
    }
    // The member's own view has the public answer with the agent's number.
    const mine = await s.request("GET", `/v1/me/tickets/${id}`, { auth: token });
    expect(mine.body.messages.map((m: { author: string }) => m.author)).toEqual([
      "member",
      "agent",
      "member",
    ]);
  });
});
