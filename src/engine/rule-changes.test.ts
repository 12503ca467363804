import { describe, expect, it } from "vitest";
import { buildCatalogHistory } from "../catalog/catalog-history.js";
import type { CatalogDocument, CompiledCatalog } from "../catalog/catalog-types.js";
import { diffCatalogs } from "../catalog/diff-catalog.js";
import { decide } from "./decide.js";
import { activeMember, context, FIXTURE_DOCUMENT, fixtureCatalog, T } from "./engine-fixtures.js";

const CHANGED_AT = T.start + 3 * T.day;

/** The fixture document with `edit` applied, as version 2 in force since CHANGED_AT, with its history. */
function withChange(edit: (doc: CatalogDocument) => void): { v1: CompiledCatalog; v2: CompiledCatalog } {
  const doc = structuredClone(FIXTURE_DOCUMENT);
  edit(doc);
  const v1 = fixtureCatalog(FIXTURE_DOCUMENT, 1);
  const v2 = fixtureCatalog(doc, 2);
  const history = buildCatalogHistory([
    { compiled: v1, diff: diffCatalogs(null, FIXTURE_DOCUMENT), activeAt: v1.createdAt },
    { compiled: v2, diff: diffCatalogs(FIXTURE_DOCUMENT, doc), activeAt: CHANGED_AT },
  ]);
  return { v1, v2: { ...v2, history } };
}

const narrowed = () =>
  withChange((doc) => {
    doc.benefits.find((b) => b.code === "member_discount")!.rules!.scope!.categories = ["ebooks"];
  });
const books = { product: { category: "books" } };
const codes = (d: { reasons: { code: string }[] }) => d.reasons.map((r) => r.code);

describe("rule changes in decisions", () => {
  it("adds RULE_CHANGED after the rule's reason, with the version, date, field and before/after", () => {
    const { v1, v2 } = narrowed();
    const member = activeMember(v1, "vip", {}, { catalogVersion: 1 });
    expect(decide(member, v1, "member_discount", context(books)).allowed).toBe(true);
    const d = decide(member, v2, "member_discount", context(books));
    expect(codes(d)).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
    expect(d.reasons[1]).toMatchObject({
      cause: "rule_change",
      details: {
        version: 2,
        changedAt: new Date(CHANGED_AT).toISOString(),
        field: "rules.scope.categories",
        before: ["books"],
        after: ["ebooks"],
      },
      remedy: { actor: "member", action: "none" },
    });
    expect(d.reasons[1].message).toBe(
      "The rules of Member discount changed on 2026-11-27 10:00 (Asia/Shanghai) (catalog version 2): eligible categories was books, now ebooks.",
    );
  });

  it("says nothing of a change that is not why: the old rules denied too, or the member bought after it", () => {
    const { v1, v2 } = narrowed();
    const member = activeMember(v1, "vip", {}, { catalogVersion: 1 });
    const sale = { product: { category: "ebooks", onSale: true } };
    expect(codes(decide(member, v2, "member_discount", context(sale)))).toEqual(["OUT_OF_SCOPE"]);
    const later = activeMember(v2, "vip", {}, { catalogVersion: 2 });
    expect(codes(decide(later, v2, "member_discount", context(books)))).toEqual(["OUT_OF_SCOPE"]);
  });

  it("a grandfathered grant keeps the old rules until rulesUntil, then gets the same denial", () => {
    const { v1, v2 } = narrowed();
    const until = T.now + T.day;
    const member = activeMember(v1, "vip", {}, { catalogVersion: 1, rulesVersion: 1, rulesUntil: until });
    expect(decide(member, v2, "member_discount", context({ ...books, at: until - 1 })).allowed).toBe(true);
    const after = decide(member, v2, "member_discount", context({ ...books, at: until }));
    expect(codes(after)).toEqual(["OUT_OF_SCOPE", "RULE_CHANGED"]);
  });

  it("BENEFIT_WITHDRAWN when the member's tier dropped the benefit; grandfathered members keep it until then", () => {
    const { v1, v2 } = withChange((doc) => {
      const vip = doc.tiers.find((t) => t.code === "vip")!;
      vip.benefits = vip.benefits.filter((b) => b !== "vip_zone");
    });
    const member = activeMember(v1, "vip", {}, { catalogVersion: 1 });
    const d = decide(member, v2, "vip_zone", context());
    expect(codes(d)).toEqual(["BENEFIT_WITHDRAWN"]);
    expect(d.reasons[0]).toMatchObject({
      cause: "rule_change",
      details: { version: 2, tier: "vip", withdrawnAt: new Date(CHANGED_AT).toISOString(), tiers: ["svip"] },
      remedy: { actor: "member", action: "upgrade_tier" },
    });
    expect(d.reasons[0].message).toContain("no longer part of the VIP membership since catalog version 2");
    expect(
      decide(activeMember(v1, "svip", {}, { catalogVersion: 1 }), v2, "vip_zone", context()).allowed,
    ).toBe(true);
    const kept = activeMember(v1, "vip", {}, { catalogVersion: 1, rulesVersion: 1, rulesUntil: T.now + 1 });
    expect(decide(kept, v2, "vip_zone", context()).allowed).toBe(true);
    expect(codes(decide(kept, v2, "vip_zone", context({ at: T.now + 1 })))).toEqual(["BENEFIT_WITHDRAWN"]);
  });

  it("a member of two tiers keeps a benefit through the tier that still has it", () => {
    const { v1, v2 } = withChange((doc) => {
      const svip = doc.tiers.find((t) => t.code === "svip")!;
      svip.benefits = svip.benefits.filter((b) => b !== "vip_zone");
    });
    const vip = activeMember(v1, "vip", {}, { catalogVersion: 1 });
    const svip = activeMember(v1, "svip", {}, { catalogVersion: 1 });
    const both = activeMember(v1, "vip", {
      memberships: [...vip.memberships, ...svip.memberships],
      grants: [...vip.grants, ...svip.grants],
    });
    // SVIP ranks higher, so its grant is considered first, but SVIP dropped the benefit.
    expect(decide(both, v1, "vip_zone", context()).grant?.tier).toBe("svip");
    const d = decide(both, v2, "vip_zone", context());
    expect(d.allowed).toBe(true);
    expect(d.grant?.tier).toBe("vip");
    expect(codes(decide(svip, v2, "vip_zone", context()))).toEqual(["BENEFIT_WITHDRAWN"]);
  });

  it("a benefit removed from the catalog: BENEFIT_WITHDRAWN with or without a grant", () => {
    const { v1, v2 } = withChange((doc) => {
      for (const tier of doc.tiers) tier.benefits = tier.benefits.filter((b) => b !== "early_access");
      doc.benefits = doc.benefits.filter((b) => b.code !== "early_access");
    });
    const member = activeMember(v1, "vip", {}, { catalogVersion: 1 });
    const withGrant = decide(member, v2, "early_access", context());
    expect(codes(withGrant)).toEqual(["BENEFIT_WITHDRAWN"]);
    expect(withGrant.reasons[0].details).toMatchObject({ version: 2, tier: "vip", tiers: [] });
    expect(withGrant.reasons[0].remedy.action).toBe("none");
    const stranger = activeMember(v1, "basic", {}, { catalogVersion: 1 });
    expect(decide(stranger, v2, "early_access", context()).reasons[0].details).toMatchObject({
      version: 2,
      tier: null,
    });
  });

  it("a benefit added to a tier is not drift while its grant is being created", () => {
    const { v1, v2 } = withChange((doc) => {
      doc.tiers.find((t) => t.code === "basic")!.benefits.push("cloud_storage");
    });
    const member = activeMember(v1, "basic", {}, { catalogVersion: 1 });
    const d = decide(member, v2, "cloud_storage", context());
    expect(codes(d)).toEqual(["NOT_YET_EFFECTIVE"]);
    expect(d.reasons[0].details).toMatchObject({ addedInVersion: 2 });
    // A membership that began after the addition and has no grant is drift again.
    const later = activeMember(v1, "basic", {}, { catalogVersion: 2 });
    const ms = { ...later.memberships[0], startsAt: CHANGED_AT + 1 };
    expect(codes(decide({ ...later, memberships: [ms] }, v2, "cloud_storage", context()))).toEqual([
      "STATE_INCONSISTENT",
    ]);
  });
});
