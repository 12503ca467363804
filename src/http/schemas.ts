import { type TSchema, Type } from "@sinclair/typebox";
import { ERROR_CODES, type ErrorCode } from "../error-codes.js";
import { EXTERNAL_ID_PATTERN } from "../ids.js";

/** Shared route schemas: they validate input (all errors at once) and document the API. */
export const MemberId = Type.String({
  pattern: EXTERNAL_ID_PATTERN,
  description: "The platform's member id.",
});
/** Catalog codes (benefits, tiers, plans, coupons). */
export const CODE_PATTERN = "^[a-z0-9][a-z0-9_.-]{0,63}$";
export const Code = Type.String({ pattern: CODE_PATTERN });

export const MemberParams = Type.Object({ memberId: MemberId }, { additionalProperties: false });
export const BenefitParams = Type.Object({ benefit: Code }, { additionalProperties: false });
export const MemberBenefitParams = Type.Object(
  { memberId: MemberId, benefit: Code },
  { additionalProperties: false },
);

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      // The closed list (src/error-codes.ts) as an enum, so generated clients can switch on it.
      code: Type.Unsafe<ErrorCode>({ type: "string", enum: [...ERROR_CODES] }),
      message: Type.String(),
      details: Type.Array(
        Type.Object({ path: Type.String(), message: Type.String() }, { additionalProperties: true }),
      ),
    }),
  },
  { $id: "ErrorResponse", description: "Every error has this shape; `code` is from a closed list." },
);

export const Money = Type.Object(
  { amount: Type.Integer({ description: "minor units" }), currency: Type.String() },
  { additionalProperties: false },
);

/**
 * Answers' objects stay open: a field added to a view is sent before its schema names it (the
 * schemas document and type the answers; they do not serialize them).
 */
export const OPEN = { additionalProperties: true } as const;
export const Time = Type.String({ format: "date-time" });
export const NullableTime = Type.Union([Time, Type.Null()]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of a closed list of strings, typed as that list (`Type.Union` of mapped literals loses it). */
export const OneOf = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
/** The answer of a route that answers with no body. */
export const NoContent = Type.Unsafe<void>({ type: "null", description: "No content" });

const Str = (max = 256) => Type.String({ minLength: 1, maxLength: max });

export const DecisionContextSchema = Type.Object(
  {
    at: Type.Optional(Type.String({ maxLength: 64, description: "ISO time; default now" })),
    channel: Type.Optional(Str(128)),
    product: Type.Optional(
      Type.Object(
        {
          id: Type.Optional(Str()),
          category: Type.Optional(Str()),
          onSale: Type.Optional(Type.Boolean()),
          tags: Type.Optional(Type.Array(Str(), { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
    ),
    client: Type.Optional(
      Type.Object(
        {
          platform: Type.Optional(Str(32)),
          version: Type.Optional(Str(64)),
          entitlementsVersion: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    usage: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const ReasonSchema = Type.Object({
  code: Type.String(),
  cause: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  remedy: Type.Object({
    actor: Type.String(),
    action: Type.String(),
    until: Type.Optional(Type.String()),
  }),
});

export const DecisionSchema = Type.Object(
  {
    memberId: Type.String(),
    benefit: Type.String(),
    allowed: Type.Boolean(),
    reasons: Type.Array(ReasonSchema),
    grant: Type.Union([
      Type.Object({
        tier: Type.String(),
        effectiveFrom: Type.String(),
        expiresAt: Type.String(),
        catalogVersion: Type.Integer(),
      }),
      Type.Null(),
    ]),
    entitlementsVersion: Type.Integer(),
  },
  { $id: "Decision" },
);

/** Standard error responses for a route, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref("ErrorResponse")]));
}
