import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { systemClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { createDataAccess, type DataAccess } from "../db/stores.js";
import type { NewHold } from "./hold-types.js";

const T = Date.parse("2026-11-24T02:00:00Z");
const at = (minutes: number) => new Date(T + minutes * 60_000);

/** The hold, signal and verification stores' contract, on every engine. */
describe.each(TEST_ENGINES)("hold stores on $name", (engine) => {
  let handle: DatabaseHandle;
  let data: DataAccess;
  let seq = 0;

  const member = async () => {
    const id = `hs-${++seq}`;
    await data.members.upsert({ id }, "UTC");
    return id;
  };
  const newHold = (memberId: string, over: Partial<NewHold> = {}): NewHold => ({
    id: `hold_${++seq}`,
    memberId,
    reason: "shared_device",
    benefits: null,
    clearMethod: "verify_identity",
    note: null,
    placedBy: "rule:shared_device",
    placedAt: at(0),
    details: { deviceId: "d1" },
    ...over,
  });

  beforeAll(async () => {
    handle = await engine.open();
    data = createDataAccess(handle.db, systemClock);
  });
  afterAll(() => handle?.close());

  it("one open hold per member and reason, except manual ones; a cleared one makes room", async () => {
    const m = await member();
    const first = await data.holds.insert(newHold(m, { benefits: ["ad_free"] }));
    expect(first).toMatchObject({
      memberId: m,
      status: "open",
      benefits: ["ad_free"],
      details: { deviceId: "d1" },
    });
    expect(await data.holds.insert(newHold(m))).toBeNull();
    expect(await data.holds.insert(newHold(m, { reason: "manual", clearMethod: "agent" }))).not.toBeNull();
    expect(await data.holds.insert(newHold(m, { reason: "manual", clearMethod: "agent" }))).not.toBeNull();
    const cleared = await data.holds.clear({
      id: first!.id,
      clearedBy: "admin",
      clearedAt: at(5),
      note: "ok",
    });
    expect(cleared).toMatchObject({
      status: "cleared",
      clearedBy: "admin",
      clearedAt: at(5),
      clearNote: "ok",
    });
    expect(
      await data.holds.clear({ id: first!.id, clearedBy: "x", clearedAt: at(6), note: null }),
    ).toBeNull();
    expect(await data.holds.insert(newHold(m))).not.toBeNull();
    expect(await data.holds.lastCleared(m)).toEqual(new Map([["shared_device", at(5).getTime()]]));
  });

  it("lists newest first by status and member, and pages by cursor", async () => {
    const m = await member();
    const ids: string[] = [];
    // Two holds at the same instant: the id orders them.
    for (const minute of [1, 2, 2, 3]) {
      const h = await data.holds.insert(newHold(m, { reason: "manual", placedAt: at(minute) }));
      ids.push(h!.id);
    }
    const all = (await data.holds.list({ memberId: m, limit: 10 })).map((h) => h.id);
    const sameInstant = [ids[1], ids[2]].sort().reverse();
    expect(all).toEqual([ids[3], ...sameInstant, ids[0]]);
    const page1 = await data.holds.list({ memberId: m, limit: 2 });
    const last = page1[1];
    const page2 = await data.holds.list({
      memberId: m,
      limit: 2,
      after: { placedAt: last.placedAt, id: last.id },
    });
    expect([...page1, ...page2].map((h) => h.id)).toEqual(all);
    await data.holds.clear({ id: ids[0], clearedBy: "admin", clearedAt: at(9), note: null });
    expect((await data.holds.list({ memberId: m, status: "cleared", limit: 10 })).map((h) => h.id)).toEqual([
      ids[0],
    ]);
    expect((await data.holds.listForMember(m)).map((h) => h.id)).toEqual(all);
  });

  it("keeps each hold's audit trail in order", async () => {
    const m = await member();
    const h = await data.holds.insert(newHold(m));
    await data.holds.appendEvents([
      { holdId: h!.id, memberId: m, kind: "placed", actor: "rule:shared_device", at: at(0), data: {} },
      { holdId: h!.id, memberId: m, kind: "code_sent", actor: `member:${m}`, at: at(1), data: { n: 1 } },
    ]);
    expect((await data.holds.events(h!.id)).map((e) => [e.kind, e.actor, e.data])).toEqual([
      ["placed", "rule:shared_device", {}],
      ["code_sent", `member:${m}`, { n: 1 }],
    ]);
  });

  it("the snapshot carries open holds only", async () => {
    const m = await member();
    const open = await data.holds.insert(newHold(m, { benefits: ["vip_zone"], placedAt: at(3) }));
    const cleared = await data.holds.insert(newHold(m, { reason: "manual", clearMethod: "agent" }));
    await data.holds.clear({ id: cleared!.id, clearedBy: "admin", clearedAt: at(4), note: null });
    const snapshot = await data.snapshots.load(m);
    expect(snapshot.holds).toEqual([
      {
        id: open!.id,
        reason: "shared_device",
        benefits: ["vip_zone"],
        clearMethod: "verify_identity",
        placedAt: at(3).getTime(),
      },
    ]);
  });

  it("signals: distinct members of a device within the window; a member's places, city case ignored", async () => {
    const [a, b, c] = [await member(), await member(), await member()];
    const loginAt = (m: string, device: string, minute: number, country?: string, city?: string) =>
      data.signals.insert(m, { type: "login", deviceId: device, ip: "192.0.2.1", country, city }, at(minute));
    await loginAt(a, "dev-x", 0);
    await loginAt(a, "dev-x", 1);
    await loginAt(b, "dev-x", 10);
    await loginAt(c, "dev-y", 10);
    await data.signals.insert(b, { type: "purchase", channel: "grey" }, at(11));
    expect((await data.signals.deviceMembers("dev-x", c, at(0), 10)).sort()).toEqual([a, b].sort());
    expect(await data.signals.deviceMembers("dev-x", c, at(5), 10)).toEqual([b]);
    expect(await data.signals.deviceMembers("dev-x", b, at(5), 10)).toEqual([]);
    await data.signals.lockDevice("dev-x");

    await loginAt(c, "p", 20, "CN", "Shanghai");
    await loginAt(c, "p", 21, "CN", "shanghai");
    await loginAt(c, "p", 22, "CN");
    await loginAt(c, "p", 23, "US", "New York");
    const places = (await data.signals.locations(c, at(20))).map((l) => [
      l.country,
      l.city?.toLowerCase() ?? null,
      l.logins,
    ]);
    expect(places.sort()).toEqual(
      [
        ["CN", "shanghai", 2],
        ["CN", null, 1],
        ["US", "new york", 1],
      ].sort(),
    );
    expect(await data.signals.locations(c, at(23))).toEqual([
      { country: "US", city: "New York", logins: 1, lastAt: at(23).getTime() },
    ]);
  });

  it("stores the risk rules and the verification state, replacing them on save", async () => {
    expect(await data.signals.readRules()).toBeNull();
    await data.signals.writeRules({ a: 1 });
    await data.signals.writeRules({ a: 2 });
    expect(await data.signals.readRules()).toEqual({ a: 2 });

    const m = await member();
    const h = await data.holds.insert(newHold(m));
    expect(await data.verifications.get(h!.id)).toBeNull();
    const record = {
      holdId: h!.id,
      memberId: m,
      codeHash: "hash",
      expiresAt: at(10),
      requestedAt: at(0),
      attempts: 0,
      lockedUntil: null,
    };
    await data.verifications.save(record);
    await data.verifications.save({
      ...record,
      codeHash: null,
      expiresAt: null,
      attempts: 5,
      lockedUntil: at(15),
    });
    expect(await data.verifications.get(h!.id)).toEqual({
      ...record,
      codeHash: null,
      expiresAt: null,
      attempts: 5,
      lockedUntil: at(15),
    });
  });
});
