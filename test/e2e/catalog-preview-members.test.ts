/**
 * Issue 13: a publish preview names the members whose decisions a change alters — the members the
 * activation would notice (a live membership of a changed tier), listed in id order, the first
 * AFFECTED_MEMBERS_LISTED of them, with the total in `members`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { AFFECTED_MEMBERS_LISTED } from "../../src/catalog/change-impact.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** The demo catalog with vip_zone needing a newer app: a rule both tiers include, narrowed. */
function narrowedZone(): CatalogDocument {
  const doc = structuredClone(DEMO_CATALOG);
  doc.benefits.find((b) => b.code === "vip_zone")!.rules = { minClientVersion: "6.0.0" };
  return doc;
}

/** The demo catalog with svip_concierge (SVIP only) scoped to the app. */
function narrowedConcierge(): CatalogDocument {
  const doc = structuredClone(DEMO_CATALOG);
  doc.benefits.find((b) => b.code === "svip_concierge")!.rules = { scope: { channels: ["official_app"] } };
  return doc;
}

describe.each(TEST_ENGINES)(
  "the members a catalog change affects, named by a dry run, on $name",
  (engine) => {
    let s: TestServer;

    const buy = async (memberId: string, plan: string) => {
      await s.createMember(memberId, { locale: "en" });
      const order = await s.createOrder(memberId, plan);
      const paid = await s.pay(order.orderId, order.amount.amount);
      expect(paid.status).toBe(200);
      return order;
    };
    const dryRun = async (document: CatalogDocument) => {
      const res = await s.request("PUT", "/v1/catalog?dryRun=true", { body: document });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.impact;
    };

    beforeAll(async () => {
      s = await TestServer.start(engine);
      await s.putCatalog(DEMO_CATALOG);
      // Created out of id order, so the answer's order is the database's, not ours.
      await buy("m-03-vip", "vip_month");
      await buy("m-01-svip", "svip_month");
      await buy("m-02-vip", "vip_year");
      // A refunded membership gives nothing: its member is not affected.
      const refunded = await buy("m-04-refunded", "vip_month");
      expect((await s.refund(refunded.orderId, refunded.amount.amount)).status).toBe(200);
      // A pending order holds no tier yet.
      await s.createMember("m-05-pending", { locale: "en" });
      await s.createOrder("m-05-pending", "vip_month");
    });
    afterAll(() => s?.stop());

    it("lists the live members of every changed tier once, in id order, with the total", async () => {
      const impact = await dryRun(narrowedZone());
      expect(Object.keys(impact.tiers).sort()).toEqual(["svip", "vip"]);
      expect(impact.affectedMembers).toEqual(["m-01-svip", "m-02-vip", "m-03-vip"]);
      expect(impact.members).toBe(3);
      expect(impact.notices).toBe(3);
      expect(impact.tiers.vip.members).toBe(2);
      expect(impact.tiers.svip.members).toBe(1);
    });

    it("a change to one tier's benefit names that tier's members only; an unchanged document none", async () => {
      const impact = await dryRun(narrowedConcierge());
      expect(Object.keys(impact.tiers)).toEqual(["svip"]);
      expect(impact.affectedMembers).toEqual(["m-01-svip"]);
      expect(impact.members).toBe(1);
      const unchanged = await dryRun(structuredClone(DEMO_CATALOG));
      expect(unchanged.affectedMembers).toEqual([]);
      expect(unchanged.members).toBe(0);
    });

    it(`names the first ${AFFECTED_MEMBERS_LISTED} and counts them all`, async () => {
      const more = Array.from(
        { length: AFFECTED_MEMBERS_LISTED },
        (_, i) => `m-9-${String(i).padStart(3, "0")}`,
      );
      for (let i = 0; i < more.length; i += 10)
        await Promise.all(more.slice(i, i + 10).map((id) => buy(id, "vip_month")));
      const impact = await dryRun(narrowedZone());
      expect(impact.members).toBe(AFFECTED_MEMBERS_LISTED + 3);
      expect(impact.affectedMembers).toEqual(
        ["m-01-svip", "m-02-vip", "m-03-vip", ...more].slice(0, AFFECTED_MEMBERS_LISTED),
      );
    }, 60_000);
  },
);
