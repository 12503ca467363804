/**
 * Response schemas of the catalog routes, so the OpenAPI document (and the typed web client built
 * from it) says what each answer holds. Objects stay open: a field added to an answer is sent, not
 * dropped by the serializer, before its schema names it.
 */
import { Type } from "@sinclair/typebox";
import { CatalogDocumentSchema } from "./catalog-schema.js";
import { AFFECTED_MEMBERS_LISTED } from "./change-impact.js";

const open = { additionalProperties: true } as const;

const Texts = Type.Array(Type.String());
const ChangeKind = Type.Union([Type.Literal("added"), Type.Literal("removed"), Type.Literal("changed")]);
const Explained = Type.Object({
  code: Type.String(),
  name: Type.String(),
  change: ChangeKind,
  before: Type.Array(Type.String(), { description: "Sentences that stop being true" }),
  after: Type.Array(Type.String(), { description: "Sentences that become true" }),
});

/** A catalog change in the words members read, before → after (engine/change-explainer.ts). */
export const ExplainedCatalogChangeSchema = Type.Object({
  tiers: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      change: ChangeKind,
      added: Texts,
      withdrawn: Texts,
      plans: Type.Array(Explained),
    }),
  ),
  benefits: Type.Array(Explained),
  coupons: Type.Array(Explained),
});
const Time = Type.String({ format: "date-time" });
const Codes = Type.Array(Type.String());

const FieldChangeSchema = Type.Object(
  {
    path: Type.String({ description: "Dotted path inside the entity, e.g. rules.minClientVersion" }),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
    added: Type.Optional(Codes),
    removed: Type.Optional(Codes),
  },
  open,
);

const EntityDiffSchema = Type.Object(
  {
    code: Type.String(),
    change: Type.Union([Type.Literal("added"), Type.Literal("removed"), Type.Literal("changed")]),
    fields: Type.Optional(Type.Array(FieldChangeSchema)),
  },
  open,
);

export const CatalogDiffSchema = Type.Object(
  {
    tiers: Type.Array(EntityDiffSchema),
    benefits: Type.Array(EntityDiffSchema),
    coupons: Type.Optional(Type.Array(EntityDiffSchema)),
  },
  open,
);

/** `GET /v1/catalog` and `GET /v1/catalog/versions/{n}`: the version number beside its document. */
export const CatalogVersionDocumentSchema = Type.Object(
  {
    version: Type.Integer(),
    createdAt: Time,
    tiers: CatalogDocumentSchema.properties.tiers,
    benefits: CatalogDocumentSchema.properties.benefits,
    coupons: CatalogDocumentSchema.properties.coupons,
  },
  { ...open, $id: "CatalogVersionDocument" },
);

export const CatalogVersionListSchema = Type.Object(
  {
    versions: Type.Array(
      Type.Object(
        {
          version: Type.Integer(),
          notice: Type.Unknown({ description: "The notice text (a string or {en, zh-CN}), or null" }),
          effectiveFrom: Type.Union([Time, Type.Null()]),
          policy: Type.String(),
          status: Type.Union([
            Type.Literal("scheduled"),
            Type.Literal("in_force"),
            Type.Literal("superseded"),
          ]),
          inForceFrom: Time,
          createdAt: Time,
        },
        open,
      ),
    ),
  },
  open,
);

export const CatalogVersionDiffSchema = Type.Object(
  { version: Type.Integer(), previous: Type.Union([Type.Integer(), Type.Null()]), diff: CatalogDiffSchema },
  open,
);

const RemovalSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("tier"), Type.Literal("plan"), Type.Literal("benefit")]),
    code: Type.String(),
    tier: Type.Optional(Type.String({ description: "For a plan: the tier it belonged to" })),
    members: Type.Integer(),
    pendingOrders: Type.Integer(),
  },
  open,
);

const TierImpactSchema = Type.Object(
  {
    withdrawn: Codes,
    added: Codes,
    changed: Type.Array(
      Type.Object(
        {
          benefit: Type.String(),
          fields: Type.Array(
            Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() }, open),
          ),
        },
        open,
      ),
    ),
    members: Type.Integer({
      description: "Members of the tier now, each noticed when the version comes into force",
    }),
  },
  open,
);

const ChangeImpactSchema = Type.Object(
  {
    removed: Type.Array(RemovalSchema),
    needsConfirmation: Type.Boolean(),
    tiers: Type.Record(Type.String(), TierImpactSchema),
    members: Type.Integer({ description: "Distinct members whose decisions change" }),
    affectedMembers: Type.Array(Type.String(), {
      maxItems: AFFECTED_MEMBERS_LISTED,
      description: `The first ${AFFECTED_MEMBERS_LISTED} of those members, in id order (members counts them all)`,
    }),
    notices: Type.Integer(),
    pendingOrders: Type.Integer(),
  },
  open,
);

/** `PUT /v1/catalog`: the version created (or, with ?dryRun=true, the one it would create and its impact). */
export const CatalogPutResultSchema = Type.Object(
  {
    version: Type.Integer(),
    effectiveFrom: Time,
    diff: CatalogDiffSchema,
    dryRun: Type.Optional(Type.Literal(true)),
    impact: Type.Optional(ChangeImpactSchema),
    explained: Type.Optional(
      Type.Object(
        { en: ExplainedCatalogChangeSchema, "zh-CN": ExplainedCatalogChangeSchema },
        { description: "Dry run: the sentences members will read, before → after, in both languages" },
      ),
    ),
  },
  open,
);
