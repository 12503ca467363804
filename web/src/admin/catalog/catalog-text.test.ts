import { Draft04 } from "json-schema-library";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CatalogDocumentSchema } from "../../../../src/catalog/catalog-schema";
import { DEMO_CATALOG } from "../../../../src/demo/demo-catalog";
import { documentText, locate, parseText, putBodyText } from "./catalog-text";
import { toDraft04 } from "./draft04";

const editorSchema = () => new Draft04(toDraft04(JSON.parse(JSON.stringify(CatalogDocumentSchema))) as never);

describe("the catalog editor's schema (Draft 04, as codemirror-json-schema validates)", () => {
  it("accepts the demo catalog", () => {
    expect(editorSchema().validate(DEMO_CATALOG)).toEqual([]);
  });

  it("rejects what the server's schema rejects: a literal not listed, an unknown field, an exclusive bound", () => {
    const bad = structuredClone(DEMO_CATALOG) as unknown as {
      tiers: Record<string, unknown>[];
      benefits: { rules?: { activation?: string }; quota?: unknown }[];
    };
    const claimed = bad.benefits.findIndex((b) => b.rules?.activation === "claim");
    (bad.benefits[claimed].rules as { activation: string }).activation = "sometimes";
    bad.tiers[0].colour = "gold";
    bad.benefits[0].quota = { limit: 0, unit: "uses", period: null };
    const errors = editorSchema().validate(bad);
    expect(errors.map((e) => [e.name, e.data?.pointer])).toEqual([
      ["NoAdditionalPropertiesError", "#/tiers/0"],
      ["EnumError", `#/benefits/${claimed}/rules/activation`],
      ["MinimumError", "#/benefits/0/quota/limit"],
    ]);
  });
});

describe("the server's JSON pointers placed in the editor's text", () => {
  const problems = [
    { path: "/tiers/0/plans/0/period", message: "not an ISO duration" },
    { path: "/tiers/1", message: "duplicate code" },
    { path: "/benefits/0/quota", message: "a quota benefit needs a quota" },
    { path: "/confirm", message: "needs a confirmation" },
  ];
  const document = {
    tiers: [
      { code: "vip", plans: [{ code: "vip_month", period: "monthly" }] },
      { code: "vip", plans: [] },
    ],
    benefits: [{ code: "boost", kind: "quota" }],
  };
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

  it.each(["json", "yaml"] as const)(
    "in %s: at the key, its array item's first key, or the nearest part",
    (mode) => {
      const text = documentText(document, mode);
      const located = locate(text, mode, problems);
      const period = mode === "json" ? '"period"' : "period:";
      const secondTier =
        mode === "json" ? text.indexOf('"code"', text.indexOf("[]") - 40) : text.lastIndexOf("- code: vip");
      expect(located.map((p) => [p.path, p.line])).toEqual([
        ["/tiers/0/plans/0/period", lineOf(text, period)],
        ["/tiers/1", text.slice(0, secondTier).split("\n").length],
        // No quota in the text: the benefit that lacks it, at its first key.
        ["/benefits/0/quota", lineOf(text, "boost")],
      ]);
      // The mark covers the key and its value on that line.
      expect(text.slice(located[0].from, located[0].to)).toMatch(/period"?: "?monthly"?/);
    },
  );

  it("sends YAML as YAML with the publishing fields set on its document", () => {
    const text = `# the operator's comment\n${stringify(document)}`;
    const body = putBodyText(text, "yaml", { policy: "apply_now", notice: { en: "Hello" } });
    expect(body).toContain("# the operator's comment");
    expect(parseText(body, "yaml")).toEqual({
      ok: true,
      value: { ...document, policy: "apply_now", notice: { en: "Hello" } },
    });
    expect(parseText("tiers: [", "yaml").ok).toBe(false);
    expect(parseText("[1]", "json")).toEqual({ ok: false, message: "the document must be an object" });
  });
});
