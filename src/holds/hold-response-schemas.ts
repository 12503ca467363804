/**
 * The answers of the hold, signal and verification routes (hold-views.ts), so the OpenAPI document
 * types them for the SDK and the console.
 */
import { Type } from "@sinclair/typebox";
import { MemberHoldSchema } from "../http/member-view-schemas.js";
import { Nullable, NullableTime, OPEN, Time } from "../http/schemas.js";

/** A hold as agents see it (holdView). */
export const HoldSchema = Type.Object(
  {
    holdId: Type.String(),
    memberId: Type.String(),
    reason: Type.String(),
    benefits: Nullable(Type.Array(Type.String())),
    status: Type.String({ description: "open or cleared" }),
    clearMethod: Type.String(),
    note: Nullable(Type.String()),
    placedBy: Type.String({ description: "admin, admin:<key>, support:<key>, rule:<reason>, member:<id>" }),
    placedAt: Time,
    clearedBy: Nullable(Type.String()),
    clearedAt: NullableTime,
    clearNote: Nullable(Type.String()),
    details: Type.Unknown({ description: "The evidence that placed it (a rule's signals), or null" }),
  },
  { ...OPEN, $id: "Hold" },
);

const HoldEventSchema = Type.Object(
  { kind: Type.String(), actor: Type.String(), at: Time, data: Type.Unknown() },
  OPEN,
);

export const HoldWithEvents = Type.Intersect([
  Type.Ref("Hold"),
  Type.Object(
    { events: Type.Array(HoldEventSchema, { description: "Its audit trail, oldest first" }) },
    OPEN,
  ),
]);
export const ClearedHold = Type.Intersect([
  Type.Ref("Hold"),
  Type.Object({ entitlementsVersion: Type.Integer() }, OPEN),
]);
export const HoldPage = Type.Object(
  { holds: Type.Array(Type.Ref("Hold")), nextCursor: Nullable(Type.String()) },
  OPEN,
);
export const RecordedSignal = Type.Object(
  {
    memberId: Type.String(),
    type: Type.String(),
    at: Time,
    holdsPlaced: Type.Array(Type.Ref("Hold"), { description: "The holds the risk rules placed" }),
  },
  OPEN,
);
export const CodeSent = Type.Object({ holdId: Type.String(), expiresAt: Time, resendAfter: Time }, OPEN);
export const VerifiedHold = Type.Intersect([
  MemberHoldSchema,
  Type.Object({ entitlementsVersion: Type.Integer() }, OPEN),
]);
