import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { systemClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { createDataAccess, type DataAccess } from "../db/stores.js";

const T = Date.parse("2026-11-24T02:00:00Z");
const at = (hours: number) => new Date(T + hours * 3_600_000);

/** The quota store's contract, on every engine. */
describe.each(TEST_ENGINES)("quota store on $name", (engine) => {
  let handle: DatabaseHandle;
  let data: DataAccess;
  let seq = 0;
  const memberOfGrant = new Map<string, string>();

  /** A member with a membership and one grant of `benefit`; returns the grant id. */
  const granted = async (memberId: string, benefit = "hd_downloads") => {
    await data.members.upsert({ id: memberId }, "UTC");
    const order = `o-${++seq}`;
    await data.orders.insert({
      id: order,
      memberId,
      plan: "vip_month",
      tier: "vip",
      amount: 1500,
      currency: "CNY",
      channel: "official_app",
      catalogVersion: 1,
      createdAt: at(0),
    });
    const grantId = `g-${seq}`;
    memberOfGrant.set(grantId, memberId);
    await data.memberships.insertWithGrants(
      {
        id: `ms-${seq}`,
        memberId,
        tier: "vip",
        startsAt: at(0),
        expiresAt: at(720),
        graceEndsAt: null,
        sourceOrderId: order,
      },
      [
        {
          id: grantId,
          memberId,
          membershipId: `ms-${seq}`,
          benefit,
          tier: "vip",
          effectiveFrom: at(0),
          expiresAt: at(720),
          catalogVersion: 1,
        },
      ],
    );
    return grantId;
  };
  const quotaOf = async (grantId: string) => {
    const [g] = (await data.grants.listForMember(memberOfGrant.get(grantId)!)).filter(
      (x) => x.id === grantId,
    );
    return { used: g.quotaUsed, resetsAt: g.quotaResetsAt?.toISOString() ?? null };
  };

  beforeAll(async () => {
    handle = await engine.open();
    data = createDataAccess(handle.db, systemClock);
  });
  afterAll(() => handle.close());

  it("consumes only what fits, starting a period on the first use", async () => {
    const grantId = await granted("m-1");
    const periodEnd = at(14);
    const consume = (amount: number, now = at(1)) =>
      data.quotas.consume({ grantId, amount, maxUsed: 10, now, periodEnd });
    expect(await consume(4)).toEqual({ used: 4, resetsAt: periodEnd });
    expect(await consume(7)).toBeNull();
    expect(await consume(6)).toEqual({ used: 10, resetsAt: periodEnd });
    expect(await consume(1)).toBeNull();
    expect(await quotaOf(grantId)).toEqual({ used: 10, resetsAt: periodEnd.toISOString() });
  });

  it("rolls an ended period forward: its use counts as zero and the new period ends later", async () => {
    const grantId = await granted("m-2");
    await data.quotas.consume({ grantId, amount: 10, maxUsed: 10, now: at(1), periodEnd: at(14) });
    const next = at(38);
    // At the very end of the period, the new one begins.
    expect(
      await data.quotas.consume({ grantId, amount: 3, maxUsed: 10, now: at(14), periodEnd: next }),
    ).toEqual({
      used: 3,
      resetsAt: next,
    });
    // Within the new period the end stays as it is, whatever the caller computed.
    expect(
      await data.quotas.consume({ grantId, amount: 2, maxUsed: 10, now: at(15), periodEnd: at(99) }),
    ).toEqual({
      used: 5,
      resetsAt: next,
    });
    // Beyond int4: limits and use are bigint.
    const big = await granted("m-3", "cloud_storage");
    const huge = 5_000_000_000_000;
    expect(
      await data.quotas.consume({ grantId: big, amount: huge, maxUsed: 1e15, now: at(1), periodEnd: null }),
    ).toEqual({ used: huge, resetsAt: null });
  });

  it("resets only grants still in the period the job was for, and only once it has ended", async () => {
    const a = await granted("m-4");
    const b = await granted("m-5");
    const c = await granted("m-6");
    for (const grantId of [a, b, c]) {
      await data.quotas.consume({ grantId, amount: 5, maxUsed: 10, now: at(1), periodEnd: at(14) });
    }
    // b already moved on to its next period; c's job is for an instant that has not come.
    await data.quotas.consume({ grantId: b, amount: 1, maxUsed: 10, now: at(15), periodEnd: at(38) });
    const reset = await data.quotas.resetPeriods(
      [
        { grantId: a, resetAt: at(14) },
        { grantId: b, resetAt: at(14) },
        { grantId: c, resetAt: at(20) },
      ],
      at(16),
    );
    expect(reset).toEqual([{ grantId: a, memberId: "m-4", benefit: "hd_downloads", resetAt: at(14) }]);
    expect(await quotaOf(a)).toEqual({ used: 0, resetsAt: null });
    expect(await quotaOf(b)).toEqual({ used: 1, resetsAt: at(38).toISOString() });
    expect(await quotaOf(c)).toEqual({ used: 5, resetsAt: at(14).toISOString() });
    expect(await data.quotas.resetPeriods([], at(16))).toEqual([]);
  });

  it("keeps one usage record per member and idempotency key", async () => {
    await data.members.upsert({ id: "m-7" }, "UTC");
    const record = {
      memberId: "m-7",
      idempotencyKey: "order-1",
      grantId: null,
      benefit: "hd_downloads",
      amount: 2,
      outcome: "denied" as const,
      response: { error: { code: "USAGE_DENIED", message: "…", details: [] } },
      at: at(1),
    };
    expect(await data.quotas.findUsage("m-7", "order-1")).toBeNull();
    await data.quotas.recordUsage(record);
    expect(await data.quotas.findUsage("m-7", "order-1")).toEqual(record);
    await expect(data.quotas.recordUsage({ ...record, amount: 3 })).rejects.toThrow();
    // The same key for another member is another request.
    await data.quotas.recordUsage({ ...record, memberId: "m-8" });
    expect((await data.quotas.findUsage("m-8", "order-1"))?.memberId).toBe("m-8");
  });

  it("locks several members in one statement, reporting those that exist", async () => {
    await data.members.upsert({ id: "m-9" }, "UTC");
    const locked = await data.transaction((stores) => stores.members.lockMany(["m-9", "nobody", "m-7"]));
    expect(locked).toEqual(["m-7", "m-9"]);
    expect(await data.members.lockMany([])).toEqual([]);
  });
});
