import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { systemClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { createDataAccess, type DataAccess } from "../db/stores.js";

const ALL = { members: null, memberFacing: false };

async function insertOutbox(db: DatabaseHandle["db"], memberId: string, n: number) {
  await db
    .insertInto("outbox")
    .values({ member_id: memberId, type: "test.step", payload: JSON.stringify({ n }) })
    .execute();
}

/** Numbers every committed outbox row, retrying while another transaction holds the sequencer. */
async function sequenceAll(data: DataAccess, now = new Date(0)): Promise<number> {
  let total = 0;
  for (;;) {
    const events = await data.transaction((stores) => stores.events.sequence(50, now));
    if (events === null) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    if (events.length === 0) return total;
    total += events.length;
  }
}

describe.each(TEST_ENGINES)("event log store ($name)", (engine) => {
  let handle: DatabaseHandle | null = null;
  afterEach(async () => {
    await handle?.close();
    handle = null;
  });

  it("numbers committed outbox rows from 1 in outbox order, once, and prunes by age", async () => {
    handle = await engine.open();
    const data = createDataAccess(handle.db, systemClock);
    for (let n = 1; n <= 3; n++) await insertOutbox(handle.db, "m1", n);
    expect(await sequenceAll(data, new Date(1_000))).toBe(3);
    expect(await sequenceAll(data, new Date(2_000))).toBe(0);
    await insertOutbox(handle.db, "m2", 4);
    expect(await sequenceAll(data, new Date(5_000))).toBe(1);
    const log = await data.events.readAfter(0, ALL, 100);
    expect(log.map((e) => [e.seq, e.memberId, JSON.parse(e.data).n])).toEqual([
      [1, "m1", 1],
      [2, "m1", 2],
      [3, "m1", 3],
      [4, "m2", 4],
    ]);
    expect(
      (await data.events.readAfter(2, { members: new Set(["m2"]), memberFacing: true }, 100)).map(
        (e) => e.seq,
      ),
    ).toEqual([4]);
    expect(await data.events.prune(new Date(3_000))).toBe(3);
    expect(await data.events.head()).toEqual({ lastSeq: 4, prunedThrough: 3 });
    expect((await data.events.readAfter(0, ALL, 100)).map((e) => e.seq)).toEqual([4]);
    // Opening a fresh PGlite takes most of this on a busy machine.
  }, 120_000);
});

const postgres = TEST_ENGINES.find((e) => e.name === "postgres");

describe.skipIf(!postgres)("event log store under concurrency (postgres)", () => {
  let handle: DatabaseHandle | null = null;
  afterEach(async () => {
    await handle?.close();
    handle = null;
  });

  it("a row whose transaction commits late is numbered after the rows that committed before it: no reader skips it", async () => {
    handle = await postgres!.open();
    const db = handle.db;
    const data = createDataAccess(db, systemClock);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const insertedEarly = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // The slow writer takes the lower outbox id, then stays uncommitted.
    const slow = db.transaction().execute(async (trx) => {
      await insertOutbox(trx as unknown as DatabaseHandle["db"], "slow", 1);
      inserted();
      await held;
    });
    await insertedEarly;
    await insertOutbox(db, "fast", 2);
    expect(await sequenceAll(data)).toBe(1);
    let cursor = 0;
    const seen: string[] = [];
    const follow = async () => {
      for (const e of await data.events.readAfter(cursor, ALL, 100)) {
        seen.push(`${e.seq}:${e.memberId}`);
        cursor = e.seq;
      }
    };
    await follow();
    release();
    await slow;
    expect(await sequenceAll(data)).toBe(1);
    await follow();
    expect(seen).toEqual(["1:fast", "2:slow"]);
    const ids = await db.selectFrom("outbox").select(["id", "member_id"]).orderBy("id").execute();
    expect(ids.map((r) => r.member_id)).toEqual(["slow", "fast"]);
  });

  it("concurrent writers and concurrent sequencers: every row numbered once, gap-free, in order per member", async () => {
    handle = await postgres!.open();
    const db = handle.db;
    const data = createDataAccess(db, systemClock);
    const members = ["w1", "w2", "w3", "w4"];
    let writing = true;
    const writers = Promise.all(
      members.map(async (m) => {
        for (let n = 1; n <= 100; n++) await insertOutbox(db, m, n);
      }),
    ).finally(() => {
      writing = false;
    });
    const sequencers = Promise.all(
      [0, 1, 2, 3].map(async () => {
        while (writing) await sequenceAll(data);
        await sequenceAll(data);
      }),
    );
    await Promise.all([writers, sequencers]);
    await sequenceAll(data);
    const log = await data.events.readAfter(0, ALL, 1_000);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const m of members) {
      const steps = log.filter((e) => e.memberId === m).map((e) => JSON.parse(e.data).n);
      expect(steps).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    const { rows } = await sql<{
      n: number;
    }>`select count(distinct outbox_id)::int as n from event_log`.execute(db);
    expect(rows[0].n).toBe(400);
  });
});
