import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockCatalogForPublish } from "../../src/catalog/catalog-publish-lock.js";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import type { Stores } from "../../src/db/stores.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected, expectSafe } from "./support/error-responses.js";

const DAY = 24 * 3600 * 1000;
const EVERYTHING_GONE = { tiers: [], benefits: [] };

/** The demo catalog plus a `basic` tier nobody holds. */
function v1(): CatalogDocument {
  const doc = structuredClone(DEMO_CATALOG);
  doc.tiers.push({
    code: "basic",
    name: "Basic",
    rank: 0,
    benefits: ["ad_free"],
    plans: [{ code: "basic_month", period: "P1M", price: { amount: 600, currency: "CNY" } }],
  });
  return doc;
}

/** v1 without the tiers named (coupons no longer require them). */
function without(...tiers: string[]): CatalogDocument {
  const doc = v1();
  doc.tiers = doc.tiers.filter((t) => !tiers.includes(t.code));
  for (const coupon of doc.coupons ?? [])
    if (coupon.conditions?.minTier && tiers.includes(coupon.conditions.minTier))
      delete coupon.conditions.minTier;
  return doc;
}

/** v1 with one plan of vip gone (the tier stays). */
function withoutPlan(plan: string): CatalogDocument {
  const doc = v1();
  const vip = doc.tiers.find((t) => t.code === "vip")!;
  vip.plans = vip.plans.filter((p) => p.code !== plan);
  return doc;
}

describe.each(TEST_ENGINES)("catalog removals need a confirmation on $name", (engine) => {
  let s: TestServer;

  /** What a write would change: versions, notices, entitlements versions, the member's events. */
  async function footprint() {
    const [versions, vip, pending, vipEvents] = await Promise.all([
      s.request("GET", "/v1/catalog/versions"),
      s.app.data.members.get("vip-m"),
      s.app.data.members.get("pending-m"),
      s.app.data.outbox.listForMember("vip-m"),
    ]);
    const token = await s.memberToken("vip-m");
    const notices = await s.request("GET", "/v1/me/notices", { auth: token });
    return {
      versions: versions.body.versions,
      entitlements: [vip!.entitlementsVersion, pending!.entitlementsVersion],
      notices: notices.body.notices,
      vipEvents: vipEvents.length,
    };
  }

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(v1());
    await s.createMember("vip-m", { locale: "en" });
    await s.createMember("pending-m", { locale: "en" });
    const paid = await s.createOrder("vip-m", "vip_month");
    expect((await s.pay(paid.orderId, paid.amount.amount)).status).toBe(200);
    await s.createOrder("pending-m", "svip_month");
    await s.app.scheduler.runDue();
  });
  afterAll(() => s.stop());

  it('refuses {"tiers":[],"benefits":[]} with 409 listing what members hold and orders name; stores nothing', async () => {
    const before = await footprint();
    const res = await s.request("PUT", "/v1/catalog", { body: EVERYTHING_GONE });
    expectRejected(res, ["CATALOG_CHANGE_NEEDS_CONFIRMATION"]);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"confirm": "remove"');
    const details = res.body.error.details;
    expect(details).toContainEqual(
      expect.objectContaining({ path: "/confirm", kind: "tier", code: "vip", members: 1, pendingOrders: 0 }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({ kind: "tier", code: "svip", members: 0, pendingOrders: 1 }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({ kind: "plan", code: "vip_month", tier: "vip", members: 1, pendingOrders: 0 }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({
        kind: "plan",
        code: "svip_month",
        tier: "svip",
        members: 0,
        pendingOrders: 1,
      }),
    );
    expect(details).toContainEqual(
      expect.objectContaining({ kind: "benefit", code: "ad_free", members: 1, pendingOrders: 0 }),
    );
    // Only what someone holds is listed: no member has basic, vip_year, svip_year or svip_concierge.
    const listed = details.map((d: { kind: string; code: string }) => `${d.kind}:${d.code}`);
    for (const unheld of [
      "tier:basic",
      "plan:basic_month",
      "plan:vip_year",
      "plan:svip_year",
      "benefit:svip_concierge",
    ])
      expect(listed).not.toContain(unheld);
    const vipDetail = details.find((d: { code: string }) => d.code === "vip");
    expect(vipDetail.message).toBe("tier vip would be removed while 1 member holds it");

    // Nothing written: the paying member keeps the tier.
    expect(await footprint()).toEqual(before);
    expect((await s.check("vip-m", "ad_free")).allowed).toBe(true);
  });

  it("dryRun=true answers the diff and the impact, and writes nothing (no version, no notice, no bump)", async () => {
    const before = await footprint();
    const res = await s.request("PUT", "/v1/catalog?dryRun=true", { body: EVERYTHING_GONE });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      version: 2,
      effectiveFrom: new Date(s.clock.now()).toISOString(),
    });
    expect(res.body.diff.tiers).toContainEqual({ code: "vip", change: "removed" });
    const { impact } = res.body;
    expect(impact.needsConfirmation).toBe(true);
    // Every removal is listed in the dry run, held or not.
    expect(impact.removed).toContainEqual({ kind: "tier", code: "basic", members: 0, pendingOrders: 0 });
    expect(impact.removed).toContainEqual({ kind: "tier", code: "vip", members: 1, pendingOrders: 0 });
    expect(impact.removed).toContainEqual({
      kind: "plan",
      code: "svip_month",
      tier: "svip",
      members: 0,
      pendingOrders: 1,
    });
    // One member's decisions change (the pending order holds no tier yet): one notice would go out.
    expect(impact.members).toBe(1);
    expect(impact.affectedMembers).toEqual(["vip-m"]);
    expect(impact.notices).toBe(1);
    expect(impact.pendingOrders).toBe(1);
    expect(impact.tiers.vip).toMatchObject({ members: 1, added: [], changed: [] });
    expect(impact.tiers.vip.withdrawn).toContain("ad_free");
    expect(impact.tiers.svip.members).toBe(0);

    await s.app.scheduler.runDue();
    expect(await footprint()).toEqual(before);
    expect((await s.check("vip-m", "ad_free")).allowed).toBe(true);

    const confirmed = await s.request("PUT", "/v1/catalog?dryRun=true", {
      body: { ...EVERYTHING_GONE, confirm: "remove" },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.impact.needsConfirmation).toBe(false);
    expect(await footprint()).toEqual(before);
  });

  it("a change that alters rules only: the dry run counts the members noticed and nothing is removed", async () => {
    const doc = v1();
    doc.tiers.find((t) => t.code === "vip")!.benefits.push("svip_concierge");
    const res = await s.request("PUT", "/v1/catalog?dryRun=true", { body: doc });
    expect(res.status).toBe(200);
    expect(res.body.impact).toEqual({
      removed: [],
      needsConfirmation: false,
      tiers: { vip: { withdrawn: [], added: ["svip_concierge"], changed: [], members: 1 } },
      members: 1,
      affectedMembers: ["vip-m"],
      notices: 1,
      pendingOrders: 0,
    });
  });

  it("rejects a bad dryRun or confirm with the field named, and stores nothing", async () => {
    const before = await footprint();
    for (const [path, body, field] of [
      ["/v1/catalog?dryRun=maybe", v1(), "/dryRun"],
      ["/v1/catalog?dryrun=true", v1(), "/dryrun"],
      ["/v1/catalog", { ...v1(), confirm: "yes" }, "/confirm"],
      ["/v1/catalog?dryRun=true", { ...v1(), confirm: true }, "/confirm"],
    ] as const) {
      const res = await s.request("PUT", path, { body });
      expectRejected(res, ["VALIDATION_FAILED"], path);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect(await footprint()).toEqual(before);
  });

  it("a scheduled change needs the same confirmation; with it the version is stored as scheduled", async () => {
    const effectiveFrom = new Date(s.clock.now() + 7 * DAY).toISOString();
    const refused = await s.request("PUT", "/v1/catalog", { body: { ...without("vip"), effectiveFrom } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("CATALOG_CHANGE_NEEDS_CONFIRMATION");
    expect(refused.body.error.details.map((d: { code: string }) => d.code)).toEqual(["vip", "vip_month"]);

    const put = await s.request("PUT", "/v1/catalog", {
      body: { ...without("vip"), effectiveFrom, confirm: "remove" },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, effectiveFrom });
    const versions = (await s.request("GET", "/v1/catalog/versions")).body.versions;
    expect(versions.map((v: { status: string }) => v.status)).toEqual(["in_force", "scheduled"]);
    // The stored document has no `confirm`: it is how the change was made, not part of the catalog.
    expect((await s.request("GET", "/v1/catalog/versions/2")).body).not.toHaveProperty("confirm");
    expect((await s.check("vip-m", "ad_free")).allowed).toBe(true);
  });

  it("removing only what nobody holds needs no confirmation; a held plan alone does", async () => {
    // Against version 2 (vip scheduled away), put vip back without basic: basic has no member.
    const put = await s.request("PUT", "/v1/catalog", { body: without("basic") });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(3);
    const noPlan = withoutPlan("vip_month");
    noPlan.tiers = noPlan.tiers.filter((t) => t.code !== "basic");
    const plan = await s.request("PUT", "/v1/catalog", { body: noPlan });
    expect(plan.status).toBe(409);
    expect(plan.body.error.details).toEqual([
      {
        path: "/confirm",
        message: "plan vip_month would be removed while 1 member holds it",
        kind: "plan",
        code: "vip_month",
        tier: "vip",
        members: 1,
        pendingOrders: 0,
      },
    ]);
  });

  /** A transaction that holds what `take` locks until `release()`; `locked` settles once it holds it. */
  function holdLocks(take: (stores: Stores) => Promise<unknown>) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let signal!: () => void;
    const locked = new Promise<void>((resolve) => {
      signal = resolve;
    });
    const done = s.app.data.transaction(async (stores) => {
      await take(stores);
      signal();
      await released;
    });
    return { locked, release, done };
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // PGlite runs one transaction at a time, so no order can interleave with a publish there.
  it.skipIf(engine.name !== "postgres")(
    "an order placed while a publish removes its plan: counted by the publish, or refused — never both accepted",
    async () => {
      // A plan nobody holds yet, on a version of its own.
      const base = without("basic");
      base.tiers
        .find((t) => t.code === "svip")!
        .plans.push({ code: "svip_trial", period: "P7D", price: { amount: 100, currency: "CNY" } });
      await s.putCatalog(base);
      await s.createMember("racer", {});
      // The worst interleaving, forced: the order has read the catalog and waits for its member's
      // row while the publish counts and commits. A held publish lock makes both wait at the start.
      const publishing = holdLocks((stores) => lockCatalogForPublish(stores.executor));
      const member = holdLocks((stores) => stores.members.lock("racer"));
      await Promise.all([publishing.locked, member.locked]);
      const order = s.request("POST", "/v1/orders", { body: { memberId: "racer", plan: "svip_trial" } });
      const publish = s.request("PUT", "/v1/catalog", { body: without("basic") });
      await pause(100);
      publishing.release();
      await publishing.done;
      await pause(200);
      member.release();
      await member.done;
      const [ordered, published] = await Promise.all([order, publish]);
      expectSafe(ordered);
      expectSafe(published);
      if (ordered.status === 201) {
        expect(published.status).toBe(409);
        expect(published.body.error.details).toContainEqual(
          expect.objectContaining({ kind: "plan", code: "svip_trial", pendingOrders: 1 }),
        );
      } else {
        expect(published.status).toBe(200);
        expect(ordered.status).toBe(404);
        expect(ordered.body.error.code).toBe("PLAN_NOT_FOUND");
      }
    },
  );
});
