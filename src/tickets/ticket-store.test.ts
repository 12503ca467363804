import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import type { DatabaseHandle } from "../db/database.js";
import { openedSla } from "./sla-state.js";
import { createTicketStore, type TicketStore } from "./ticket-store.js";
import type { TicketRecord } from "./ticket-types.js";

const T = Date.parse("2026-11-24T02:00:00Z");

describe.each(TEST_ENGINES)("the ticket store on $name", (engine) => {
  let handle: DatabaseHandle;
  let store: TicketStore;
  beforeAll(async () => {
    handle = await engine.open();
    store = createTicketStore(handle.db);
    await handle.db
      .insertInto("members")
      .values({ id: "m1", display_name: null, locale: null, timezone: "UTC", updated_at: new Date(T) })
      .execute();
  });
  afterAll(() => handle?.close());

  const ticket = (id: string, dueAt: Date | null): TicketRecord => ({
    id,
    memberId: "m1",
    benefit: null,
    orderId: null,
    occurredAt: null,
    where: null,
    expected: "e",
    actual: "a",
    status: "open",
    priority: "normal",
    level: 1,
    classification: null,
    promisedBy: null,
    assignee: null,
    openedBy: "member:m1",
    resolution: null,
    sla: openedSla(T),
    dueAt,
    breached: false,
    rating: null,
    createdAt: new Date(T),
    updatedAt: new Date(T),
    resolvedAt: null,
    closedAt: null,
  });

  it("numbers agents once, from A1001 on, and never hands a number out twice", async () => {
    const a = await store.agent("admin");
    const b = await store.agent("pwk_0000000000000001");
    expect(a.number).toMatch(/^A\d+$/);
    expect(Number(b.number.slice(1))).toBeGreaterThan(Number(a.number.slice(1)));
    expect((await store.agent("admin")).number).toBe(a.number);
    const all = await Promise.all([1, 2, 3].map(() => store.agent("pwk_0000000000000002")));
    expect(new Set(all.map((x) => x.number)).size).toBe(1);
    expect((await store.setAgentName("admin", "Li")).displayName).toBe("Li");
  });

  it("records a mark once", async () => {
    await store.insert(ticket("tkt_mark", null));
    expect(await store.mark("tkt_mark", "breach:first_response:1", new Date(T))).toBe(true);
    expect(await store.mark("tkt_mark", "breach:first_response:1", new Date(T))).toBe(false);
  });

  it("keeps attachment bytes exactly, and pages the queue by due time with no-due last", async () => {
    await store.insert(ticket("tkt_b", new Date(T + 2000)));
    await store.insert(ticket("tkt_a", new Date(T + 1000)));
    const message = await store.appendMessage({
      ticketId: "tkt_a",
      visibility: "public",
      author: "member",
      agentNumber: null,
      body: "<b>hi</b>",
      at: new Date(T),
    });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 1]);
    const [meta] = await store.insertAttachments(
      "tkt_a",
      message.id,
      [{ filename: "a.png", contentType: "image/png", data: bytes }],
      new Date(T),
    );
    expect((await store.attachment(meta.id))?.data.equals(bytes)).toBe(true);
    const first = await store.queue({ limit: 2 });
    expect(first.map((t) => t.id)).toEqual(["tkt_a", "tkt_b"]);
    const rest = await store.queue({ limit: 2, after: { dueAt: first[1].dueAt, id: first[1].id } });
    expect(rest.map((t) => t.id)).toEqual(["tkt_mark"]);
    expect(rest[0].dueAt).toBeNull();
  });
});
