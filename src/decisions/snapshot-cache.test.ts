import { describe, expect, it } from "vitest";
import { SnapshotCache } from "./snapshot-cache.js";
import { buildSnapshot } from "./snapshot-store.js";

const snap = (version: number) =>
  buildSnapshot({ id: "m", locale: null, timezone: "UTC", entitlementsVersion: version }, "m", [], [], []);

/** A loader whose calls the test resolves by hand, to stage races. */
function manualLoader() {
  const calls: { resolve: (v: number) => void }[] = [];
  const load = (_id: string) =>
    new Promise<ReturnType<typeof snap>>((resolve) => calls.push({ resolve: (v) => resolve(snap(v)) }));
  return { calls, load };
}

describe("SnapshotCache", () => {
  it("loads once, then serves from memory", async () => {
    let loads = 0;
    const cache = new SnapshotCache(async () => snap(++loads));
    const [a, b] = await Promise.all([cache.get("m"), cache.get("m")]);
    expect(a).toBe(b);
    expect(cache.peek("m")).toBe(a);
    expect(loads).toBe(1);
    expect(cache.stats()).toMatchObject({ size: 1, misses: 1 });
  });

  it("never caches a load that raced with an invalidation (read-your-writes)", async () => {
    const { calls, load } = manualLoader();
    const cache = new SnapshotCache(load);
    const stale = cache.get("m"); // starts loading version 1
    cache.invalidate("m"); // a write commits meanwhile
    const fresh = cache.get("m"); // must start a new load
    expect(calls).toHaveLength(2);
    calls[0].resolve(1);
    calls[1].resolve(2);
    expect((await stale).entitlementsVersion).toBe(1);
    expect((await fresh).entitlementsVersion).toBe(2);
    expect(cache.peek("m")?.entitlementsVersion).toBe(2);
  });

  it("invalidateAll drops everything and discards loads in flight", async () => {
    const { calls, load } = manualLoader();
    const cache = new SnapshotCache(load);
    const inFlight = cache.get("m");
    cache.invalidateAll();
    calls[0].resolve(1);
    await inFlight;
    expect(cache.peek("m")).toBeUndefined();
  });

  it("is bounded", async () => {
    const cache = new SnapshotCache(async (id) => ({ ...snap(1), memberId: id }), 3);
    for (const id of ["a", "b", "c", "d"]) await cache.get(id);
    expect(cache.stats().size).toBe(3);
    expect(cache.peek("a")).toBeUndefined();
  });
});

describe("attached member caches", () => {
  it("drop a member whenever the snapshot cache does, and everything on invalidateAll and suspend", async () => {
    let loads = 0;
    const snapshots = new SnapshotCache(async () => snap(1));
    const coupons = snapshots.attach(async (id) => ({ id, load: ++loads }), 10);
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 1 });
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 1 });
    snapshots.invalidate("m1");
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 2 });
    snapshots.invalidateAll();
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 3 });
    snapshots.suspend();
    await coupons.get("m1");
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 5 });
    snapshots.resume();
    await coupons.get("m1");
    expect(await coupons.get("m1")).toEqual({ id: "m1", load: 6 });
  });
});
