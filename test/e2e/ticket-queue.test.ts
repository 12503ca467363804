import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const HOUR = 3600_000;

/** The agents' queue: soonest due first, filters, keyset pages that neither repeat nor skip. */
describe.each(TEST_ENGINES)("the ticket queue on $name", (engine) => {
  let s: TestServer;
  let support: string;
  let number: string;
  const ids: string[] = [];
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    support = (await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } })).body.key;
    number = (await s.request("GET", "/v1/support/agents/me", { auth: support })).body.number;
    // Seven tickets an hour apart: each is due an hour of business time after the one before.
    for (let i = 0; i < 7; i++) {
      await s.createMember(`queue-${i}`);
      const token = await s.memberToken(`queue-${i}`);
      const res = await s.request("POST", "/v1/me/tickets", {
        auth: token,
        body: { expected: "a", actual: "b" },
      });
      ids.push(res.body.ticketId);
      s.clock.advance(HOUR);
    }
  });
  afterAll(() => s?.stop());

  const queue = (query: string) => s.request("GET", `/v1/tickets?${query}`, { auth: support });

  it("pages soonest due first with no repeats and no gaps; tickets with no running clock last", async () => {
    await s.request("POST", `/v1/tickets/${ids[0]}/resolve`, { auth: support, body: { resolution: "done" } });
    const seen: { ticketId: string; dueAt: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await queue(`sort=due&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.tickets);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    // Opened at 12:00 (lunch) and 13:00, two tickets fall due together: ties go by id.
    const key = (t: { ticketId: string; dueAt: string | null }) => `${t.dueAt ?? "~"} ${t.ticketId}`;
    expect(seen.map(key)).toEqual(seen.map(key).sort());
    expect(seen.map((t) => t.ticketId).sort()).toEqual([...ids].sort());
    expect(seen.at(-1)).toMatchObject({ ticketId: ids[0], dueAt: null });
    const bad = await queue("cursor=notacursor");
    expect(bad.status).toBe(400);
  });

  it("filters by status, priority, level, assignee and breached", async () => {
    await s.request("POST", `/v1/tickets/${ids[3]}/assign`, { auth: support, body: { agent: number } });
    await s.request("PATCH", `/v1/tickets/${ids[4]}`, { auth: support, body: { priority: "urgent" } });
    const pick = async (query: string) =>
      (await queue(query)).body.tickets.map((t: { ticketId: string }) => t.ticketId);
    expect(await pick(`assignee=${number}`)).toEqual([ids[3]]);
    expect(await pick("assignee=me")).toEqual([ids[3]]);
    expect(await pick("assignee=A999999")).toEqual([]);
    expect((await pick("assignee=none&status=open")).length).toBe(5);
    expect(await pick("priority=urgent")).toEqual([ids[4]]);
    expect(await pick("status=resolved")).toEqual([ids[0]]);
    expect(await pick("breached=true")).toEqual([]);
    expect((await pick("level=1")).length).toBe(7);
    expect((await queue("level=4")).status).toBe(400);
    expect((await queue("sort=created")).status).toBe(400);
  });
});
