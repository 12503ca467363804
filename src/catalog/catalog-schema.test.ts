import { Value } from "@sinclair/typebox/value";
import { describe, expect, expectTypeOf, it } from "vitest";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import {
  CatalogDocumentSchema,
  type CatalogDocumentStatic,
  CatalogPutBodySchema,
  LIMITS,
  LocalizedTextSchema,
  MoneySchema,
} from "./catalog-schema.js";
import type { CatalogDocument } from "./catalog-types.js";

const benefit = { code: "ad_free", kind: "feature", name: "No ads" };
const tier = { code: "vip", name: "VIP", rank: 1, benefits: ["ad_free"], plans: [] };

describe("CatalogDocumentSchema", () => {
  it("matches the hand-written document type", () => {
    expectTypeOf<CatalogDocumentStatic>().toExtend<CatalogDocument>();
    expect(Value.Check(CatalogDocumentSchema, DEMO_CATALOG)).toBe(true);
  });

  it("accepts a minimal document and rejects missing lists", () => {
    expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: [] })).toBe(true);
    expect(Value.Check(CatalogDocumentSchema, { tiers: [] })).toBe(false);
    expect(Value.Check(CatalogDocumentSchema, [])).toBe(false);
  });

  it("rejects unknown fields at every level", () => {
    const docs = [
      { tiers: [], benefits: [], extra: 1 },
      { tiers: [{ ...tier, color: "gold" }], benefits: [benefit] },
      { tiers: [], benefits: [{ ...benefit, rules: { activation: "claim", when: "always" } }] },
      { tiers: [], benefits: [{ ...benefit, rules: { scope: { regions: ["cn"] } } }] },
      { tiers: [], benefits: [{ ...benefit, name: { en: "No ads", fr: "Sans pub" } }] },
      {
        tiers: [
          { ...tier, plans: [{ code: "m", period: "P1M", price: { amount: 1, currency: "CNY", tax: 0 } }] },
        ],
        benefits: [],
      },
    ];
    for (const doc of docs) expect(Value.Check(CatalogDocumentSchema, doc)).toBe(false);
  });

  it("checks codes", () => {
    for (const code of ["vip", "a", "vip_2.0-x", "0day", "a".repeat(64)]) {
      expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: [{ ...benefit, code }] })).toBe(true);
    }
    for (const code of ["", "VIP", "_vip", "-x", "vip zone", "a".repeat(65), "会员"]) {
      expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: [{ ...benefit, code }] })).toBe(false);
    }
  });

  it("bounds list lengths and string sizes", () => {
    const many = Array.from({ length: LIMITS.benefits + 1 }, (_, i) => ({ ...benefit, code: `b${i}` }));
    expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: many })).toBe(false);
    expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: many.slice(1) })).toBe(true);
    const long = { ...benefit, description: "x".repeat(LIMITS.text + 1) };
    expect(Value.Check(CatalogDocumentSchema, { tiers: [], benefits: [long] })).toBe(false);
  });
});

describe("LocalizedTextSchema", () => {
  it("takes a non-empty string or en and/or zh-CN", () => {
    for (const ok of ["VIP", { en: "VIP" }, { "zh-CN": "会员" }, { en: "VIP", "zh-CN": "会员" }]) {
      expect(Value.Check(LocalizedTextSchema, ok)).toBe(true);
    }
    for (const bad of ["", {}, { en: "" }, { fr: "x" }, 5, null, ["VIP"]]) {
      expect(Value.Check(LocalizedTextSchema, bad)).toBe(false);
    }
  });
});

describe("MoneySchema", () => {
  it("takes integer minor units and an uppercase 3-letter currency", () => {
    expect(Value.Check(MoneySchema, { amount: 0, currency: "CNY" })).toBe(true);
    expect(Value.Check(MoneySchema, { amount: 1500, currency: "USD" })).toBe(true);
    for (const bad of [
      { amount: -1, currency: "CNY" },
      { amount: 1.5, currency: "CNY" },
      { amount: "15", currency: "CNY" },
      { amount: 1, currency: "cny" },
      { amount: 1, currency: "CNYX" },
      { amount: 1 },
    ]) {
      expect(Value.Check(MoneySchema, bad)).toBe(false);
    }
  });
});

describe("CatalogPutBodySchema", () => {
  it("adds notice, effectiveFrom and policy to the document", () => {
    const body = {
      ...DEMO_CATALOG,
      notice: { en: "New rules", "zh-CN": "规则更新" },
      effectiveFrom: "2026-01-01T00:00:00+08:00",
      policy: "grandfather",
    };
    expect(Value.Check(CatalogPutBodySchema, body)).toBe(true);
    expect(Value.Check(CatalogPutBodySchema, { ...body, policy: "later" })).toBe(false);
    expect(Value.Check(CatalogPutBodySchema, { ...body, effectiveFrom: "tomorrow" })).toBe(false);
    expect(Value.Check(CatalogPutBodySchema, { ...body, effectiveFrom: "2026-01-01" })).toBe(false);
    expect(Value.Check(CatalogDocumentSchema, body)).toBe(false);
  });
});
