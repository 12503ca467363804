/**
 * TypeBox schema of the catalog document. Unknown fields are rejected everywhere, and every string
 * and list is bounded so that a hostile document costs the server little. Semantic checks (references,
 * durations, semver, kind/field agreement) live in validate-catalog.ts.
 */
import { type Static, Type } from "@sinclair/typebox";
import { DATE_TIME_PATTERN } from "../time/iso-time.js";
import { PERIOD_ANCHORS } from "../time/usage-period.js";

export const CODE_PATTERN = "^[a-z0-9][a-z0-9_.-]{0,63}$";
export const CURRENCY_PATTERN = "^[A-Z]{3}$";
export { DATE_TIME_PATTERN };

export const LIMITS = {
  tiers: 500,
  benefits: 500,
  coupons: 500,
  packItems: 50,
  plansPerTier: 50,
  benefitsPerTier: 500,
  listItems: 1000,
  text: 1000,
  id: 200,
  short: 64,
} as const;

const strict = { additionalProperties: false } as const;

const Code = Type.String({ pattern: CODE_PATTERN, maxLength: 64 });
const Text = Type.String({ minLength: 1, maxLength: LIMITS.text });
const ShortText = Type.String({ minLength: 1, maxLength: LIMITS.short });
/** A category, product, channel or resource id: free-form, non-empty, bounded. */
const Id = Type.String({ minLength: 1, maxLength: LIMITS.id });
/** `anchor` beside a `period`: where its periods start (usage-period.ts). */
const Anchor = Type.Optional(Type.Union(PERIOD_ANCHORS.map((a) => Type.Literal(a))));
const IdList = (minItems: number) => Type.Array(Id, { minItems, maxItems: LIMITS.listItems });

export const LocalizedTextSchema = Type.Union([
  Text,
  Type.Object({ en: Type.Optional(Text), "zh-CN": Type.Optional(Text) }, { ...strict, minProperties: 1 }),
]);

export const MoneySchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    currency: Type.String({ pattern: CURRENCY_PATTERN }),
  },
  strict,
);

export const PlanSchema = Type.Object(
  { code: Code, period: ShortText, price: MoneySchema, gracePeriod: Type.Optional(ShortText) },
  strict,
);

export const TierSchema = Type.Object(
  {
    code: Code,
    name: LocalizedTextSchema,
    rank: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    benefits: Type.Array(Code, { maxItems: LIMITS.benefitsPerTier }),
    plans: Type.Array(PlanSchema, { maxItems: LIMITS.plansPerTier }),
  },
  strict,
);

// Allow-lists must not be empty (an empty one would allow nothing: omit it to allow everything);
// exclude-lists may be.
export const ScopeSchema = Type.Object(
  {
    categories: Type.Optional(IdList(1)),
    products: Type.Optional(IdList(1)),
    channels: Type.Optional(IdList(1)),
    excludeCategories: Type.Optional(IdList(0)),
    excludeProducts: Type.Optional(IdList(0)),
    excludeChannels: Type.Optional(IdList(0)),
    excludeSaleItems: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const RulesSchema = Type.Object(
  {
    effective: Type.Optional(Type.Object({ delay: ShortText }, strict)),
    scope: Type.Optional(ScopeSchema),
    activation: Type.Optional(
      Type.Union([Type.Literal("automatic"), Type.Literal("claim"), Type.Literal("toggle")]),
    ),
    minClientVersion: Type.Optional(
      Type.Union([
        ShortText,
        Type.Object(
          { ios: Type.Optional(ShortText), android: Type.Optional(ShortText), web: Type.Optional(ShortText) },
          { ...strict, minProperties: 1 },
        ),
      ]),
    ),
  },
  strict,
);

export const QuotaSchema = Type.Object(
  {
    limit: Type.Number({ exclusiveMinimum: 0, maximum: 1e15 }),
    unit: ShortText,
    period: Type.Union([ShortText, Type.Null()]),
    anchor: Anchor,
  },
  strict,
);

export const DiscountSchema = Type.Object(
  {
    // Range (0, 100] is checked semantically, with a clearer message.
    percentOff: Type.Optional(Type.Number()),
    amountOff: Type.Optional(MoneySchema),
    maxOff: Type.Optional(MoneySchema),
  },
  strict,
);

export const CouponPackSchema = Type.Object(
  {
    items: Type.Array(Type.Object({ coupon: Code, count: Type.Number() }, strict), {
      minItems: 1,
      maxItems: LIMITS.packItems,
    }),
    period: ShortText,
    anchor: Anchor,
  },
  strict,
);

export const BenefitSchema = Type.Object(
  {
    code: Code,
    kind: Type.Union([
      Type.Literal("feature"),
      Type.Literal("quota"),
      Type.Literal("discount"),
      Type.Literal("access"),
      Type.Literal("coupon_pack"),
    ]),
    name: LocalizedTextSchema,
    description: Type.Optional(LocalizedTextSchema),
    rules: Type.Optional(RulesSchema),
    quota: Type.Optional(QuotaSchema),
    discount: Type.Optional(DiscountSchema),
    resources: Type.Optional(IdList(0)),
    couponPack: Type.Optional(CouponPackSchema),
  },
  strict,
);

// Thresholds and limits are checked semantically (positive integers), with clearer messages.
export const CouponConditionsSchema = Type.Object(
  {
    scope: Type.Optional(ScopeSchema),
    channels: Type.Optional(IdList(1)),
    minAmount: Type.Optional(MoneySchema),
    minQuantity: Type.Optional(Type.Number()),
    validFrom: Type.Optional(Type.String({ pattern: DATE_TIME_PATTERN, maxLength: 64 })),
    validUntil: Type.Optional(Type.String({ pattern: DATE_TIME_PATTERN, maxLength: 64 })),
    validDays: Type.Optional(Type.Number()),
    minTier: Type.Optional(Code),
  },
  strict,
);

export const CouponSchema = Type.Object(
  {
    code: Code,
    name: LocalizedTextSchema,
    description: Type.Optional(LocalizedTextSchema),
    // Range (0, 100] is checked semantically, as for discounts.
    percentOff: Type.Optional(Type.Number()),
    amountOff: Type.Optional(MoneySchema),
    maxOff: Type.Optional(MoneySchema),
    conditions: Type.Optional(CouponConditionsSchema),
    limits: Type.Optional(
      Type.Object({ perMember: Type.Optional(Type.Number()), total: Type.Optional(Type.Number()) }, strict),
    ),
    stacking: Type.Optional(
      Type.Object({ group: Type.Optional(Code), exclusive: Type.Optional(Type.Boolean()) }, strict),
    ),
  },
  strict,
);

const documentProperties = {
  tiers: Type.Array(TierSchema, { maxItems: LIMITS.tiers }),
  benefits: Type.Array(BenefitSchema, { maxItems: LIMITS.benefits }),
  coupons: Type.Optional(Type.Array(CouponSchema, { maxItems: LIMITS.coupons })),
};

export const CatalogDocumentSchema = Type.Object(documentProperties, strict);

const putMetaProperties = {
  notice: Type.Optional(LocalizedTextSchema),
  effectiveFrom: Type.Optional(Type.String({ pattern: DATE_TIME_PATTERN, maxLength: 64 })),
  policy: Type.Optional(Type.Union([Type.Literal("apply_now"), Type.Literal("grandfather")])),
  confirm: Type.Optional(
    Type.Literal("remove", {
      description:
        "Required when the document removes tiers, plans or benefits members hold, or plans pending orders name: without it such a PUT answers 409 CATALOG_CHANGE_NEEDS_CONFIRMATION.",
    }),
  ),
};

/** The fields of `PUT /v1/catalog` beside the document: how the change is announced and applied. */
export const CatalogPutMetaSchema = Type.Object(putMetaProperties, strict);

/** Body of `PUT /v1/catalog`: the document plus how the change is announced and applied. */
export const CatalogPutBodySchema = Type.Object({ ...documentProperties, ...putMetaProperties }, strict);

export type CatalogDocumentStatic = Static<typeof CatalogDocumentSchema>;
export type CatalogPutBody = Static<typeof CatalogPutBodySchema>;

/** Human hints for patterns, used by validate-catalog.ts to phrase messages. */
export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [CODE_PATTERN]:
    "must be a code: 1–64 characters of a-z, 0-9, '_', '.', '-', starting with a lowercase letter or digit",
  [CURRENCY_PATTERN]: "must be a 3-letter uppercase ISO-4217 currency code, e.g. CNY",
  [DATE_TIME_PATTERN]: "must be an ISO-8601 date-time with a time zone, e.g. 2026-01-01T00:00:00Z",
};
