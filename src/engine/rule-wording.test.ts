import { describe, expect, it } from "vitest";
import type { BenefitDoc, Locale } from "../catalog/catalog-types.js";
import { decide } from "./decide.js";
import { activeMember, context, FIXTURE_DOCUMENT, fixtureCatalog } from "./engine-fixtures.js";
import type { DecisionContext } from "./engine-types.js";
import { explainBenefit, type RuleKind } from "./rule-explainer.js";

/** A benefit of the vip tier with one rule; the denial of a context outside it, and the rule in words. */
function wording(rules: BenefitDoc["rules"], ctx: Partial<DecisionContext>, kind: RuleKind, locale: Locale) {
  const benefit: BenefitDoc = {
    code: "probe",
    kind: "feature",
    name: { en: "Probe", "zh-CN": "探针" },
    rules,
  };
  const catalog = fixtureCatalog({
    tiers: FIXTURE_DOCUMENT.tiers.map((t) =>
      t.code === "vip" ? { ...t, benefits: [...t.benefits, "probe"] } : t,
    ),
    benefits: [...FIXTURE_DOCUMENT.benefits, benefit],
  });
  const decision = decide(activeMember(catalog), catalog, "probe", context({ ...ctx, locale }));
  expect(decision.allowed).toBe(false);
  const sentence = explainBenefit({ locale, timezone: "Asia/Shanghai", catalog }, benefit).find(
    (s) => s.rule === kind,
  );
  expect(sentence).toBeDefined();
  return { denial: decision.reasons[0].message, sentence: sentence?.text ?? "" };
}

/** An English sentence as a clause inside another sentence. */
const clause = (text: string, locale: Locale) =>
  locale === "en" ? text[0].toLowerCase() + text.slice(1) : text;

/**
 * The rule as the plans page says it before the fact is the clause the denial says after it: one
 * source of wording (rule-fragments.ts), for the rules whose denial restates the rule.
 */
describe("the same words before and after the fact", () => {
  const cases: [string, BenefitDoc["rules"], Partial<DecisionContext>, RuleKind, Locale[]][] = [
    [
      "category allow-list",
      { scope: { categories: ["books"] } },
      { product: { id: "t1", category: "toys" } },
      "scope.categories",
      ["en", "zh-CN"],
    ],
    [
      "category exclusion",
      { scope: { excludeCategories: ["toys"] } },
      { product: { id: "t1", category: "toys" } },
      "scope.excludeCategories",
      ["zh-CN"],
    ],
    [
      "channel allow-list",
      { scope: { channels: ["official_app"] } },
      { channel: "official_web" },
      "scope.channels",
      ["zh-CN"],
    ],
    [
      "channel exclusion",
      { scope: { excludeChannels: ["partner:shady"] } },
      { channel: "partner:shady" },
      "scope.excludeChannels",
      ["en", "zh-CN"],
    ],
    [
      "minimum app version on a platform",
      { minClientVersion: { ios: "5.2.0" } },
      { client: { platform: "ios", version: "5.1.0" } },
      "min_client_version",
      ["en", "zh-CN"],
    ],
  ];
  for (const [name, rules, ctx, kind, locales] of cases) {
    for (const locale of locales) {
      it(`${name} (${locale})`, () => {
        const { denial, sentence } = wording(rules, ctx, kind, locale);
        const body = kind === "min_client_version" ? sentence.replace(/^(Needs app |需要)/, "") : sentence;
        expect(denial).toContain(clause(body, locale));
      });
    }
  }
});
