/**
 * Two Perkwise processes on one PostgreSQL schema: every event is numbered once, in one order that
 * both nodes stream identically, in order per member, whichever node the writes went to; rows a
 * writer left undelivered (it died between commit and dispatch) are numbered by the other node.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/database.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, PAYMENT_SECRET } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { NodeClient } from "../support/node-client.js";
import { type NodeProcess, startNode } from "../support/node-processes.js";
import { SseClient } from "../support/sse-client.js";
import { TEST_ENGINES } from "../test-database.js";

const postgres = TEST_ENGINES.find((e) => e.name === "postgres");
const MEMBERS = ["tn-a", "tn-b", "tn-c", "tn-d"];

describe.skipIf(!postgres)("two nodes on one PostgreSQL", () => {
  let database: DatabaseHandle;
  let nodes: NodeProcess[] = [];
  let clients: NodeClient[] = [];
  const streams: SseClient[] = [];

  const head = async () => {
    const row = await database.db.selectFrom("event_sequencer").select("last_seq").executeTakeFirstOrThrow();
    return Number(row.last_seq);
  };

  const undelivered = async () => {
    const row = await database.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("delivered_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  beforeAll(async () => {
    database = await postgres!.open();
    const secrets = { adminKey: ADMIN_KEY, paymentSecret: PAYMENT_SECRET };
    // The catalog first: a node loads it on start (carrying later catalog changes across nodes is
    // the cluster bus's work, src/cluster/).
    nodes = [await startNode(process.env.TEST_DATABASE_URL!, database.schema, secrets)];
    expect((await new NodeClient(nodes[0].url).call("PUT", "/v1/catalog", DEMO_CATALOG)).status).toBe(200);
    nodes.push(await startNode(process.env.TEST_DATABASE_URL!, database.schema, secrets));
    clients = nodes.map((n) => new NodeClient(n.url));
    for (const id of MEMBERS)
      expect((await clients[1].call("PUT", `/v1/members/${id}`, {})).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await Promise.all(nodes.map((n) => n.stop()));
    await database?.close();
  });

  it("concurrent writes on both nodes: one numbering, gap-free, identical on both, in order per member", async () => {
    const start = await head();
    for (const client of clients)
      streams.push(await SseClient.open(`${client.url}/v1/events`, { auth: ADMIN_KEY, lastEventId: start }));
    // 24 payments, alternating nodes, all at once.
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => clients[i % 2].orderAndPay(MEMBERS[i % MEMBERS.length])),
    );
    // Each node numbers its rows just after its commit: wait until none is left, then take the head.
    await eventually("every outbox row numbered", async () => (await undelivered()) === 0, 10_000);
    const end = await head();
    expect(end - start).toBeGreaterThanOrEqual(24);
    for (const stream of streams) await stream.until((c) => (c.lastId ?? 0) >= end, 10_000, `event ${end}`);
    const [onA, onB] = streams.map((s) => s.events.filter((e) => e.id <= end));
    expect(onA.map((e) => e.id)).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
    expect(onB).toEqual(onA);
    for (const member of MEMBERS) {
      const versions = onA
        .filter((e) => e.event === "entitlements.changed" && e.data.memberId === member)
        .map((e) => e.data.entitlementsVersion);
      expect(versions.length).toBeGreaterThan(0);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]);
    }
    // Each outbox row became its events exactly once.
    const { rows } = await sql<{ outbox_id: number; n: number }>`
      select outbox_id, count(*)::int as n from event_log group by outbox_id having count(*) > 2`.execute(
      database.db,
    );
    expect(rows).toEqual([]);
  }, 60_000);

  it("outbox rows nobody kicked for (the writer died after commit) are numbered by a node's poll", async () => {
    const start = await head();
    await sql`insert into outbox (member_id, type, payload)
      select 'tn-a', 'test.orphan', jsonb_build_object('n', g) from generate_series(1, 5) g`.execute(
      database.db,
    );
    for (const stream of streams)
      await stream.until((c) => (c.lastId ?? 0) >= start + 5, 10_000, "the orphaned rows");
    for (const stream of streams) {
      const orphans = stream.events.filter((e) => e.event === "test.orphan");
      expect(orphans.map((e) => e.data)).toEqual([1, 2, 3, 4, 5].map((n) => ({ memberId: "tn-a", n })));
    }
  }, 30_000);

  it("a node restarted meanwhile resumes its client from Last-Event-ID without gap or duplicate", async () => {
    const before = streams[1].lastId!;
    await streams[1].close();
    await nodes[1].stop();
    await Promise.all(MEMBERS.map((m) => clients[0].orderAndPay(m)));
    nodes[1] = await startNode(process.env.TEST_DATABASE_URL!, database.schema, {
      adminKey: ADMIN_KEY,
      paymentSecret: PAYMENT_SECRET,
    });
    clients[1] = new NodeClient(nodes[1].url);
    const end = await head();
    const resumed = await SseClient.open(`${nodes[1].url}/v1/events`, {
      auth: ADMIN_KEY,
      lastEventId: before,
    });
    streams.push(resumed);
    await resumed.until((c) => (c.lastId ?? 0) >= end, 10_000, `event ${end}`);
    expect(resumed.events.map((e) => e.id)).toEqual(
      Array.from({ length: end - before }, (_, i) => before + 1 + i),
    );
    expect(resumed.events).toEqual(streams[0].events.filter((e) => e.id > before && e.id <= end));
  }, 60_000);
});
