import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { createCatalogFeature } from "../catalog/catalog-feature.js";
import { systemClock } from "../clock.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";
import { createDataAccess } from "../db/stores.js";
import { inTransaction } from "../db/transaction.js";
import { SnapshotCache } from "../decisions/snapshot-cache.js";
import { buildSnapshot } from "../decisions/snapshot-store.js";
import { ClusterBus, databaseChannel, NOTIFY_LIMIT_BYTES } from "./cluster-bus.js";
import { ClusterSync, packMemberIds } from "./cluster-sync.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe("packMemberIds", () => {
  it("packs ids into JSON arrays under the byte limit, in order", () => {
    const ids = Array.from({ length: 50 }, (_, i) => `会员-${i}`);
    const messages = packMemberIds(ids, 100);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(100);
    expect(messages.flatMap((m) => JSON.parse(m))).toEqual(ids);
  });

  it("asks for a full drop when the ids would need too many messages", () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `member-${i}`);
    expect(packMemberIds(ids, 1_000, 16)).toEqual(["*"]);
    expect(packMemberIds([], 1_000)).toEqual([]);
  });
});

describe("databaseChannel", () => {
  it("is one identifier per schema, never longer than PostgreSQL's 63 bytes", () => {
    expect(databaseChannel("public")).toBe("perkwise_public");
    expect(databaseChannel("t_1")).not.toBe(databaseChannel("t_2"));
    expect(Buffer.byteLength(databaseChannel("s".repeat(63)))).toBeLessThanOrEqual(63);
  });
});

describe.each(TEST_ENGINES)("ClusterBus on $name", (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database.close());

  it("delivers on commit to every bus on the database, never on rollback, and refuses oversized payloads", async () => {
    const sender = new ClusterBus(database);
    const receiver = new ClusterBus(database);
    try {
      await Promise.all([sender.start(), receiver.start()]);
      expect(sender.connected && receiver.connected).toBe(true);
      const heard: { bus: string; payload: string; local: boolean }[] = [];
      for (const [name, bus] of [
        ["sender", sender],
        ["receiver", receiver],
      ] as const)
        bus.subscribe("test.channel", (payload, origin) =>
          heard.push({ bus: name, payload, local: origin.local }),
        );
      receiver.subscribe("other", () =>
        heard.push({ bus: "receiver", payload: "wrong channel", local: false }),
      );

      await inTransaction(database.db, async (trx) => {
        await sender.notify(trx, "test.channel", "hello");
        await settle();
        expect(heard).toEqual([]); // not before the commit
      });
      await expect(
        inTransaction(database.db, async (trx) => {
          await sender.notify(trx, "test.channel", "rolled back");
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      const limit = sender.payloadLimit("test.channel");
      await inTransaction(database.db, (trx) => sender.notify(trx, "test.channel", "x".repeat(limit)));
      await expect(
        inTransaction(database.db, (trx) => sender.notify(trx, "test.channel", "x".repeat(limit + 1))),
      ).rejects.toThrow(`exceeds ${NOTIFY_LIMIT_BYTES} bytes`);
      await expect(
        inTransaction(database.db, (trx) => sender.notify(trx, "Bad Channel", "x")),
      ).rejects.toThrow("not allowed");

      await settle();
      const payloads = heard.map((h) => `${h.bus}:${h.local}:${h.payload.slice(0, 5)}`).sort();
      expect(payloads).toEqual([
        "receiver:false:hello",
        "receiver:false:xxxxx",
        "sender:true:hello",
        "sender:true:xxxxx",
      ]);
    } finally {
      await Promise.all([sender.close(), receiver.close()]);
    }
    expect(sender.connected).toBe(false);
  });

  it("notifyOthers: sent whenever another node may listen; skipped only by a node alone on PGlite", async () => {
    const heard: string[] = [];
    const lone = new ClusterBus(database);
    await lone.start();
    lone.subscribe("test.others", (payload) => heard.push(`lone:${payload}`));
    await inTransaction(database.db, (trx) => lone.notifyOthers(trx, "test.others", "alone"));
    await settle();
    // On PostgreSQL another process may listen, so the message goes out (and the sender hears it too).
    expect(heard).toEqual(engine.name === "pglite" ? [] : ["lone:alone"]);

    const peer = new ClusterBus(database);
    await peer.start();
    peer.subscribe("test.others", (payload) => heard.push(`peer:${payload}`));
    try {
      await inTransaction(database.db, (trx) => lone.notifyOthers(trx, "test.others", "together"));
      await settle();
      expect(heard.filter((h) => h.startsWith("peer:"))).toEqual(["peer:together"]);
    } finally {
      await peer.close();
    }
    heard.length = 0;
    await inTransaction(database.db, (trx) => lone.notifyOthers(trx, "test.others", "alone again"));
    await settle();
    expect(heard).toEqual(engine.name === "pglite" ? [] : ["lone:alone again"]);
    await lone.close();
  });
});

describe("a node whose LISTEN connection cannot be made", () => {
  it("caches nothing and keeps retrying until it can listen", async () => {
    const database = await openDatabase({
      url: "postgres://postgres@127.0.0.1:1/nowhere",
      schema: "nowhere",
    });
    const bus = new ClusterBus(database, { retry: { firstMs: 20, maxMs: 40 } });
    const cache = new SnapshotCache(async (id) =>
      buildSnapshot({ id, locale: null, timezone: "UTC", entitlementsVersion: 1 }, id, [], [], []),
    );
    try {
      const data = createDataAccess(database.db, systemClock);
      new ClusterSync(bus, cache).wire(createCatalogFeature({ data, cache, clock: systemClock }).catalog);
      await bus.start();
      expect(bus.connected).toBe(false);
      expect(cache.suspended).toBe(true);
      await cache.get("m");
      expect(cache.peek("m")).toBeUndefined();
      await settle();
      expect(bus.resyncCount).toBe(0);
    } finally {
      await bus.close();
      await database.close();
    }
  });
});
