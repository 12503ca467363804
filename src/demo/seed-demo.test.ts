import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEST_OPTIONS, openSeededDemo } from "../../test/support/seeded-demo-app.js";
import type { App } from "../app.js";
import type { DatabaseHandle } from "../db/database.js";
import { DEMO_MEMBERS, seedDemo } from "./seed-demo.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");
const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** What a newcomer sees after `npm start`: a member in each lifecycle state, with the right reason and dates. */
describe("the demo members", () => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    ({ app, database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());

  const check = (memberId: string, benefit: string) =>
    app.decisions.check({ memberId, benefit, context: {} }, "en");
  const codes = async (memberId: string, benefit: string) =>
    (await check(memberId, benefit)).reasons.map((r) => r.code);
  const timeline = async (memberId: string) =>
    (await app.timeline.forMember(memberId)).entries.map((e) => e.kind);

  it("seeds once", async () => {
    expect(await seedDemo({ database, ...DEMO_TEST_OPTIONS, now: NOW })).toBe(false);
    expect(DEMO_MEMBERS.length).toBe(11);
  });

  it("a daily quota used up today, with the time it resets", async () => {
    const decision = await app.decisions.check(
      { memberId: "demo-vip", benefit: "hd_downloads", context: { usage: 1 } },
      "en",
    );
    expect(decision.reasons[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      // Midnight in Shanghai after 10:00 on 24 November.
      details: { limit: 10, used: 10, resetAt: "2026-11-24T16:00:00.000Z" },
    });
  });

  it("active, pending, never paid", async () => {
    expect(await codes("demo-vip", "ad_free")).toEqual(["GRANTED"]);
    expect(await codes("demo-pending", "ad_free")).toEqual(["PAYMENT_PENDING"]);
    expect(await codes("demo-new", "ad_free")).toEqual(["NO_MEMBERSHIP"]);
  });

  it("in grace: benefits on, with the date they stop", async () => {
    const decision = await check("demo-grace", "ad_free");
    expect(decision.allowed).toBe(true);
    const [membership] = (await app.members.detail("demo-grace")).memberships;
    expect(membership).toMatchObject({ status: "in_grace", expiresAt: iso(NOW - DAY) });
    expect(decision.reasons[1]).toMatchObject({
      code: "MEMBERSHIP_IN_GRACE",
      details: { expiredAt: membership.expiresAt, graceEndsAt: membership.graceEndsAt },
    });
    expect(await timeline("demo-grace")).toEqual(
      expect.arrayContaining(["membership.expiry_reminder", "membership.grace_started"]),
    );
  });

  it("expired (after its grace period) and refunded, with their dates", async () => {
    const expired = await check("demo-expired", "ad_free");
    const [membership] = (await app.members.detail("demo-expired")).memberships;
    expect(membership.status).toBe("expired");
    expect(Date.parse(membership.graceEndsAt!)).toBeLessThan(NOW);
    expect(expired.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_EXPIRED",
      details: { expiredAt: membership.expiresAt, graceEndedAt: membership.graceEndsAt },
    });
    expect(await timeline("demo-expired")).toContain("membership.expired");
    expect(await codes("demo-refunded", "ad_free")).toEqual(["MEMBERSHIP_REVOKED"]);
  });

  it("upgraded: SVIP now, the VIP membership ended `upgraded`", async () => {
    expect((await check("demo-upgraded", "cloud_storage_plus")).allowed).toBe(true);
    const member = await app.members.detail("demo-upgraded");
    expect(member.memberships.map((m) => [m.tier, m.status])).toEqual([
      ["vip", "upgraded"],
      ["svip", "active"],
    ]);
    expect(await timeline("demo-upgraded")).toContain("membership.upgraded");
  });

  it("downgrade scheduled: SVIP until the end of its term, then VIP, shown with its date", async () => {
    expect((await check("demo-downgrade", "cloud_storage_plus")).allowed).toBe(true);
    const entitlements = await app.decisions.entitlements("demo-downgrade", "en");
    expect(entitlements.scheduledChanges).toMatchObject([
      { kind: "downgrade", fromTier: "svip", toTier: "vip" },
    ]);
  });
});
