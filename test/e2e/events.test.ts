/**
 * Server-Sent Events over real HTTP: the contract's frames, resume without gap or duplicate
 * (including events written while disconnected, by concurrent writers), member isolation, and
 * malformed resume ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { type SseClient, SseClientSet } from "../support/sse-client.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";

describe.each(TEST_ENGINES)("event streams ($name)", (engine) => {
  let s: TestServer;
  let aliceToken: string;
  const streams = new SseClientSet(() => s.baseUrl, ADMIN_KEY);
  const open = (path: string, options: Parameters<typeof SseClient.open>[1] = {}) =>
    streams.open(path, options);
  /** A paid monthly VIP order: one entitlements.changed for the member. */
  const payFor = async (memberId: string) => {
    const order = await s.createOrder(memberId, "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
  };

  /** Waits until `client` has every event numbered so far (every committed write is numbered first). */
  const settle = async (client: SseClient) => {
    await s.app.events.dispatcher.dispatchAll();
    const { lastSeq } = await s.app.data.events.head();
    await client.until((c) => (c.lastId ?? 0) >= lastSeq, 5000, `event ${lastSeq}`);
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    for (const id of ["ev-alice", "ev-bob", "ev-carol"]) await s.createMember(id);
    aliceToken = await s.memberToken("ev-alice");
  });
  afterAll(async () => {
    await streams.closeAll();
    await s.stop();
  });

  it("a member's stream: retry hint, then entitlements.changed with the contract's data, ids increasing", async () => {
    const alice = await open("/v1/me/events", { auth: aliceToken });
    expect(alice.status).toBe(200);
    await payFor("ev-alice");
    const member = await s.request("GET", "/v1/members/ev-alice");
    const version = member.body.entitlementsVersion;
    await alice.until(
      (c) =>
        c.events.some((e) => e.event === "entitlements.changed" && e.data.entitlementsVersion === version),
      5000,
      "the change to the member's current version",
    );
    expect(alice.retry).toBe(2000);
    const changes = alice.events.filter((e) => e.event === "entitlements.changed");
    for (const change of changes)
      expect(change.data).toMatchObject({ memberId: "ev-alice", cause: expect.any(String) });
    const versions = changes.map((e) => e.data.entitlementsVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const ids = alice.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a profile change (time zone) moves the version with an event: local copies hear of it", async () => {
    const alice = await open("/v1/me/events", { auth: aliceToken });
    const updated = await s.request("PUT", "/v1/members/ev-alice", { body: { timezone: "Europe/Paris" } });
    expect(updated.status).toBe(200);
    const version = updated.body.entitlementsVersion;
    await alice.until(
      (c) =>
        c.events.some(
          (e) =>
            e.event === "entitlements.changed" &&
            e.data.entitlementsVersion === version &&
            e.data.cause === "member.updated",
        ),
      5000,
      "the profile change",
    );
    const member = await s.request("GET", "/v1/members/ev-alice");
    expect(member.body).toMatchObject({ timezone: "Europe/Paris", entitlementsVersion: version });
  });

  it("a member sees only their own events and the catalog's; an admin stream sees every event, numbered without a gap", async () => {
    const alice = await open("/v1/me/events", { auth: aliceToken });
    const all = await open("/v1/events", {});
    const bobOnly = await open("/v1/events?members=ev-bob", {});
    await payFor("ev-bob");
    const { version } = await s.putCatalog({ ...DEMO_CATALOG });
    await payFor("ev-alice");
    await alice.until(
      (c) => c.events.some((e) => e.event === "entitlements.changed"),
      5000,
      "alice's change",
    );
    await alice.until((c) => c.events.some((e) => e.event === "catalog.changed"), 5000, "catalog");
    expect(
      alice.events.filter((e) => e.data.memberId !== undefined).every((e) => e.data.memberId === "ev-alice"),
    ).toBe(true);
    expect(alice.events.find((e) => e.event === "catalog.changed")!.data.version).toBe(version);
    await bobOnly.until((c) => c.events.some((e) => e.event === "catalog.changed"), 5000, "bob's catalog");
    expect(bobOnly.events.some((e) => e.data.memberId === "ev-bob")).toBe(true);
    expect(bobOnly.events.every((e) => e.data.memberId === undefined || e.data.memberId === "ev-bob")).toBe(
      true,
    );
    await all.until((c) => (c.lastId ?? 0) >= alice.lastId!, 5000, "admin catches up");
    const ids = all.events.map((e) => e.id);
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0] + i));
    expect(all.events.some((e) => e.data.memberId === "ev-bob")).toBe(true);
    expect(all.events.some((e) => e.data.memberId === "ev-alice")).toBe(true);
  });

  it("resume after a disconnect: every event written meanwhile by concurrent writers, no gap, no duplicate", async () => {
    // The reference: an admin stream that stays connected throughout.
    const reference = await open("/v1/events", {});
    const first = await open("/v1/events?members=ev-alice,ev-carol", {});
    await payFor("ev-alice");
    await first.until((c) => c.events.some((e) => e.data.memberId === "ev-alice"), 5000, "first change");
    const lastSeen = first.lastId!;
    await first.close();
    // Written while disconnected, by concurrent writers, to both members and to one nobody follows.
    await Promise.all([payFor("ev-alice"), payFor("ev-carol"), payFor("ev-bob"), payFor("ev-carol")]);
    await payFor("ev-alice");
    await settle(reference);
    const want = reference.events.filter(
      (e) => e.id > lastSeen && (e.data.memberId === "ev-alice" || e.data.memberId === "ev-carol"),
    );
    expect(new Set(want.map((e) => e.data.memberId))).toEqual(new Set(["ev-alice", "ev-carol"]));
    const resumed = await open("/v1/events?members=ev-alice,ev-carol", { lastEventId: lastSeen });
    await resumed.untilCount(want.length);
    // A moment more: a duplicate or a stray event would arrive now.
    await new Promise((r) => setTimeout(r, 150));
    expect(resumed.events.map((e) => [e.id, e.event, e.data])).toEqual(
      want.map((e) => [e.id, e.event, e.data]),
    );
    // The query parameter resumes the same way, for clients that cannot set headers.
    const byQuery = await open(`/v1/events?members=ev-alice,ev-carol&lastEventId=${lastSeen}`, {});
    await byQuery.untilCount(want.length);
    expect(byQuery.events.map((e) => e.id)).toEqual(want.map((e) => e.id));
  });

  it("a member's resume after disconnect, the header winning over the query", async () => {
    const reference = await open("/v1/events", {});
    const before = await open("/v1/me/events", { auth: aliceToken });
    await payFor("ev-alice");
    await before.until((c) => c.events.length > 0, 5000, "one event");
    await new Promise((r) => setTimeout(r, 100));
    const last = before.lastId!;
    await before.close();
    await payFor("ev-alice");
    await payFor("ev-bob");
    await settle(reference);
    const want = reference.events.filter((e) => e.id > last && e.data.memberId === "ev-alice");
    expect(want.length).toBeGreaterThan(0);
    const resumed = await open("/v1/me/events?lastEventId=0", { auth: aliceToken, lastEventId: last });
    await resumed.untilCount(want.length);
    await new Promise((r) => setTimeout(r, 150));
    expect(resumed.events.map((e) => [e.id, e.event])).toEqual(want.map((e) => [e.id, e.event]));
  });

  it("a resume id never given out is answered with reset", async () => {
    const client = await open("/v1/events", { lastEventId: 999_999_999 });
    await client.untilCount(1);
    expect(client.events[0].event).toBe("reset");
    expect(client.events[0].data).toEqual({ reason: "unknown_id" });
    const head = client.events[0].id;
    await payFor("ev-bob");
    await client.until((c) => c.events.length >= 2, 5000, "the next event");
    expect(client.events[1].id).toBe(head + 1);
  });

  it("malformed resume ids and member lists are a 400 in the documented shape", async () => {
    for (const bad of ["abc", "-1", "1.5", "1e3", "0x1", "01", "99999999999999999999"]) {
      const res = await s.request("GET", `/v1/events`, { headers: { "last-event-id": bad } });
      expectRejected(res, ["VALIDATION_FAILED"], bad);
    }
    for (const query of [
      "lastEventId=x",
      "lastEventId=",
      "members=",
      "members=a,,b",
      "members=a%20b",
      "other=1",
    ]) {
      const res = await s.request("GET", `/v1/events?${query}`);
      expectRejected(res, ["VALIDATION_FAILED"], query);
    }
    const tooMany = Array.from({ length: 101 }, (_, i) => `m${i}`).join(",");
    expectRejected(await s.request("GET", `/v1/events?members=${tooMany}`), ["VALIDATION_FAILED"]);
    const meBad = await s.request("GET", "/v1/me/events?members=ev-bob", { auth: aliceToken });
    expectRejected(meBad, ["VALIDATION_FAILED"]);
  });
});
