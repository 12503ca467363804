import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import { LIMITS } from "./catalog-schema.js";
import {
  type CatalogProblem,
  MAX_PROBLEMS,
  validateCatalog,
  validateCatalogPut,
} from "./validate-catalog.js";

/** The catalog document of DESIGN.md ("Concepts"), verbatim. */
const DESIGN_EXAMPLE = {
  tiers: [
    {
      code: "vip",
      name: { en: "VIP", "zh-CN": "VIP会员" },
      rank: 1,
      benefits: ["ad_free", "hd_download_boost", "cloud_storage", "member_discount"],
      plans: [
        { code: "vip_month", period: "P1M", price: { amount: 1500, currency: "CNY" } },
        { code: "vip_year", period: "P1Y", price: { amount: 15800, currency: "CNY" } },
      ],
    },
  ],
  benefits: [
    { code: "ad_free", kind: "feature", name: { en: "No ads", "zh-CN": "免广告" } },
    {
      code: "hd_download_boost",
      kind: "feature",
      name: "HD download boost",
      rules: { activation: "toggle" },
    },
    {
      code: "cloud_storage",
      kind: "quota",
      name: "Cloud storage",
      quota: { limit: 2048, unit: "GB", period: null },
    },
    {
      code: "member_discount",
      kind: "discount",
      name: "Member price",
      discount: { percentOff: 5 },
      rules: { effective: { delay: "next_day" }, scope: { categories: ["books"], excludeSaleItems: true } },
    },
    {
      code: "vip_zone",
      kind: "access",
      name: "VIP zone",
      resources: ["zone:vip-lounge"],
      rules: { minClientVersion: "5.2.0" },
    },
  ],
};

type Doc = { tiers: Record<string, unknown>[]; benefits: Record<string, unknown>[] };
const copy = (): Doc => structuredClone(DESIGN_EXAMPLE) as Doc;
const problemsOf = (input: unknown): CatalogProblem[] => {
  const result = validateCatalog(input);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
};
const brief = (ps: CatalogProblem[]) => ps.map((p) => `${p.code} ${p.path}`);

describe("validateCatalog", () => {
  it("accepts the DESIGN.md example and the demo catalog", () => {
    const result = validateCatalog(DESIGN_EXAMPLE);
    expect(result).toEqual({ ok: true, document: DESIGN_EXAMPLE });
    expect(validateCatalog(DEMO_CATALOG).ok).toBe(true);
  });

  it("lists every problem of a document at once, each at its path", () => {
    const doc = copy();
    doc.tiers.push({ ...doc.tiers[0], name: "VIP again", benefits: ["ad_free", "ad_free", "ghost"] });
    doc.tiers[1].plans = [
      { code: "vip_month", period: "1M", price: { amount: 100, currency: "CNY" }, gracePeriod: "PT0S" },
    ];
    doc.benefits[2].quota = { limit: 2048, unit: "GB", period: "P" };
    doc.benefits[3].rules = {
      effective: { delay: "tomorrow" },
      scope: { categories: ["books"], excludeCategories: ["books", "toys"] },
    };
    doc.benefits[4].rules = { minClientVersion: { ios: "5.2", android: "5.2.0" } };
    doc.benefits.push({ ...doc.benefits[0] });
    doc.benefits[0].color = "red";
    doc.benefits[1].kind = "quota";

    expect(brief(problemsOf(doc)).sort()).toEqual(
      [
        "unknown_field /benefits/0/color",
        "invalid_duration /benefits/2/quota/period",
        "invalid_duration /benefits/3/rules/effective/delay",
        "scope_conflict /benefits/3/rules/scope/excludeCategories",
        "invalid_semver /benefits/4/rules/minClientVersion/ios",
        "duplicate_code /benefits/5/code",
        "kind_mismatch /benefits/1/quota",
        "duplicate_code /tiers/1/code",
        "duplicate_rank /tiers/1/rank",
        "duplicate_benefit /tiers/1/benefits/1",
        "unknown_benefit /tiers/1/benefits/2",
        "duplicate_code /tiers/1/plans/0/code",
        "invalid_duration /tiers/1/plans/0/period",
        "invalid_duration /tiers/1/plans/0/gracePeriod",
      ].sort(),
    );
    const byPath = new Map(problemsOf(doc).map((p) => [p.path, p.message]));
    expect(byPath.get("/benefits/0/color")).toBe('unknown field "color"');
    expect(byPath.get("/tiers/1/benefits/2")).toBe('unknown benefit "ghost"');
    expect(byPath.get("/tiers/1/plans/0/code")).toContain("/tiers/0/plans/0");
    expect(byPath.get("/benefits/3/rules/scope/excludeCategories")).toContain('"books"');
    expect(byPath.get("/benefits/3/rules/scope/excludeCategories")).not.toContain("toys");
  });

  it("reports structural and semantic problems together", () => {
    const doc = copy();
    doc.tiers[0].rank = "1";
    (doc.tiers[0].benefits as string[]).push("nope");
    doc.benefits[0].name = "";
    expect(brief(problemsOf(doc))).toEqual([
      "invalid_type /tiers/0/rank",
      "invalid_value /benefits/0/name",
      "unknown_benefit /tiers/0/benefits/4",
    ]);
  });

  it("rejects unknown fields anywhere, naming the field", () => {
    const doc = copy() as Doc & Record<string, unknown>;
    doc.vouchers = [];
    doc.tiers[0].color = "gold";
    (doc.benefits[3].rules as Record<string, unknown>).scope = { categories: ["books"], regions: ["cn"] };
    doc.benefits[0].name = { en: "No ads", fr: "Sans pub" };
    const problems = problemsOf(doc);
    expect(problems).toEqual([
      { path: "/vouchers", message: 'unknown field "vouchers"', code: "unknown_field" },
      { path: "/tiers/0/color", message: 'unknown field "color"', code: "unknown_field" },
      { path: "/benefits/0/name/fr", message: 'unknown field "fr"', code: "unknown_field" },
      { path: "/benefits/3/rules/scope/regions", message: 'unknown field "regions"', code: "unknown_field" },
    ]);
  });

  it("names the allowed period anchors, and refuses an anchor on a quota that never resets", () => {
    const doc = copy() as Doc & Record<string, unknown>;
    doc.benefits[2].quota = { limit: 1, unit: "GB", period: "P1D", anchor: "purchase" };
    expect(problemsOf(doc)).toEqual([
      {
        path: "/benefits/2/quota/anchor",
        message: 'must be one of "calendar", "membership"',
        code: "invalid_value",
      },
    ]);
    doc.benefits[2].quota = { limit: 1, unit: "GB", period: null, anchor: "calendar" };
    expect(brief(problemsOf(doc))).toEqual(["invalid_value /benefits/2/quota/anchor"]);
    doc.benefits[2].quota = { limit: 1, unit: "GB", period: "P1M", anchor: "calendar" };
    expect(validateCatalog(doc).ok).toBe(true);
  });

  it("gives one readable message for a union, not a cascade", () => {
    const doc = copy();
    doc.benefits[0].name = 42;
    doc.benefits[1].rules = { activation: "sometimes", minClientVersion: 5 };
    doc.benefits[2].quota = { limit: 1, unit: "GB", period: 30 };
    doc.benefits[3].kind = "voucher";
    const problems = problemsOf(doc);
    expect(problems.filter((p) => p.path === "/benefits/0/name")).toEqual([
      {
        path: "/benefits/0/name",
        message: 'must be a non-empty string or an object with any of "en", "zh-CN"',
        code: "invalid_type",
      },
    ]);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get("/benefits/1/rules/activation")).toBe('must be one of "automatic", "claim", "toggle"');
    expect(byPath.get("/benefits/1/rules/minClientVersion")).toMatch(
      /^must be a non-empty string or an object/,
    );
    expect(byPath.get("/benefits/2/quota/period")).toBe("must be a non-empty string or null");
    expect(byPath.get("/benefits/3/kind")).toContain('"feature"');
    expect(problems).toHaveLength(5); // the unknown kind raises no kind/field mismatch on top
  });

  it("reports a missing field once", () => {
    const doc = copy();
    delete doc.tiers[0].plans;
    delete doc.benefits[0].kind;
    expect(problemsOf(doc)).toEqual([
      { path: "/tiers/0/plans", message: "is required", code: "missing_field" },
      { path: "/benefits/0/kind", message: "is required", code: "missing_field" },
    ]);
  });

  it("checks that a benefit's fields match its kind", () => {
    const doc = copy();
    delete doc.benefits[2].quota; // quota kind without quota
    doc.benefits[0].discount = { percentOff: 10 }; // discount on a feature
    doc.benefits[3].discount = { percentOff: 5, amountOff: { amount: 100, currency: "CNY" } };
    delete doc.benefits[4].resources; // access without resources
    doc.benefits[1].resources = ["x"]; // resources on a feature
    expect(brief(problemsOf(doc))).toEqual([
      "kind_mismatch /benefits/0/discount",
      "kind_mismatch /benefits/1/resources",
      "kind_mismatch /benefits/2/quota",
      "kind_mismatch /benefits/3/discount",
      "kind_mismatch /benefits/4/resources",
    ]);
  });

  it("checks discount values and currencies", () => {
    const doc = copy();
    let n = 0;
    const discount = (d: unknown) => ({ code: `d${n++}`, kind: "discount", name: "D", discount: d });
    doc.benefits.push(
      discount({ percentOff: 0 }),
      discount({ percentOff: 100.5 }),
      discount({}),
      discount({ amountOff: { amount: 0, currency: "CNY" } }),
      discount({ amountOff: { amount: 500, currency: "CNY" }, maxOff: { amount: 500, currency: "USD" } }),
      discount({ percentOff: 100, maxOff: { amount: 500, currency: "USD" } }),
    );
    expect(brief(problemsOf(doc))).toEqual([
      "invalid_value /benefits/5/discount/percentOff",
      "invalid_value /benefits/6/discount/percentOff",
      "kind_mismatch /benefits/7/discount",
      "invalid_value /benefits/8/discount/amountOff/amount",
      "currency_mismatch /benefits/9/discount/maxOff/currency",
    ]);
  });

  it("checks durations and versions", () => {
    const doc = copy();
    const rules = doc.benefits[3].rules as Record<string, unknown>;
    for (const delay of ["immediate", "next_day", "PT24H", "P1D"]) {
      rules.effective = { delay };
      expect(validateCatalog(doc).ok).toBe(true);
    }
    for (const delay of ["-PT1H", "24h", "nextday"]) {
      rules.effective = { delay };
      expect(brief(problemsOf(doc))).toEqual(["invalid_duration /benefits/3/rules/effective/delay"]);
    }
    rules.effective = { delay: "next_day" };
    (doc.tiers[0].plans as { period: string }[])[0].period = "P0D";
    doc.benefits[2].quota = { limit: 10, unit: "downloads", period: "P1D" };
    doc.benefits[4].rules = { minClientVersion: "v5" };
    expect(brief(problemsOf(doc))).toEqual([
      "invalid_semver /benefits/4/rules/minClientVersion",
      "invalid_duration /tiers/0/plans/0/period",
    ]);
  });

  it("rejects inputs that are not documents", () => {
    expect(problemsOf(null)).toEqual([{ path: "", message: "must be an object", code: "invalid_type" }]);
    expect(brief(problemsOf([]))).toEqual(["invalid_type "]);
    expect(brief(problemsOf({}))).toEqual(["missing_field /tiers", "missing_field /benefits"]);
    expect(brief(problemsOf({ tiers: {}, benefits: "x" }))).toEqual([
      "invalid_type /tiers",
      "invalid_type /benefits",
    ]);
  });

  it("stays bounded on huge documents", () => {
    const tooMany = { tiers: Array.from({ length: LIMITS.tiers + 1 }, () => 0), benefits: [] };
    expect(problemsOf(tooMany)).toEqual([
      { path: "/tiers", message: `must have at most ${LIMITS.tiers} items`, code: "too_many_items" },
    ]);
    const bad = { tiers: Array.from({ length: LIMITS.tiers }, () => ({})), benefits: [] };
    const problems = problemsOf(bad);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)?.code).toBe("too_many_problems");
    const long = copy();
    long.benefits[0].name = "x".repeat(LIMITS.text + 1);
    expect(brief(problemsOf(long))).toEqual(["too_long /benefits/0/name"]);
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateCatalog(input);
        if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
      }),
    );
    const shapes = fc.record({
      tiers: fc.array(
        fc.record({ code: fc.string(), rank: fc.anything(), benefits: fc.anything(), plans: fc.anything() }),
      ),
      benefits: fc.array(
        fc.dictionary(fc.constantFrom("code", "kind", "rules", "quota", "discount"), fc.anything()),
      ),
    });
    fc.assert(fc.property(shapes, (input) => void validateCatalog(input)));
  });
});

describe("validateCatalogPut", () => {
  it("splits a valid body into the document and its metadata", () => {
    const body = { ...copy(), notice: { en: "Prices change", "zh-CN": "价格调整" }, policy: "grandfather" };
    const result = validateCatalogPut({ ...body, effectiveFrom: "2027-01-01T00:00:00+08:00" });
    expect(result).toEqual({
      ok: true,
      document: DESIGN_EXAMPLE,
      meta: { notice: body.notice, policy: "grandfather", effectiveFrom: "2027-01-01T00:00:00+08:00" },
    });
  });

  it("lists problems of the metadata and of the document together", () => {
    const document = structuredClone(DESIGN_EXAMPLE);
    document.tiers[0].benefits.push("ghost");
    const body = { ...document, notice: 5, policy: "later", effectiveFrom: "1", extra: true };
    const result = validateCatalogPut(body);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["/notice", "/policy", "/effectiveFrom", "/extra"]));
    expect(paths.some((p) => p.startsWith("/tiers/0/benefits/"))).toBe(true);
  });
});
