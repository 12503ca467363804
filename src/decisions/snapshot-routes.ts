import { type TSchema, Type } from "@sinclair/typebox";
import { snapshotToWire } from "../engine/snapshot-wire.js";
import { errors, MemberParams, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { DecisionService } from "./decision-service.js";

const TimeOrNull = Type.Union([Time, Type.Null()]);
const Str = Type.String();
const obj = (properties: Record<string, TSchema>) => Type.Object(properties, { additionalProperties: false });

/** The wire form of MemberSnapshot (src/engine/snapshot-wire.ts); times are ISO strings. */
export const MemberSnapshotSchema = Type.Object(
  {
    memberId: Str,
    exists: Type.Boolean({
      description: "false for a member never registered: every decision is NO_MEMBERSHIP",
    }),
    locale: Type.Union([Type.Literal("en"), Type.Literal("zh-CN"), Type.Null()]),
    timezone: Str,
    entitlementsVersion: Type.Integer(),
    memberships: Type.Array(
      obj({
        id: Str,
        tier: Str,
        startsAt: Time,
        expiresAt: Time,
        status: Type.Union(["active", "revoked", "expired", "upgraded"].map((s) => Type.Literal(s))),
        sourceOrderId: Str,
        revokedAt: TimeOrNull,
        graceEndsAt: TimeOrNull,
      }),
    ),
    grants: Type.Array(
      obj({
        id: Str,
        benefit: Str,
        tier: Str,
        membershipId: Str,
        status: Type.Union([Type.Literal("active"), Type.Literal("ended")]),
        effectiveFrom: Time,
        expiresAt: Time,
        catalogVersion: Type.Integer(),
        claimedAt: TimeOrNull,
        toggledOn: Type.Boolean(),
        quotaUsed: Type.Number(),
        quotaResetsAt: TimeOrNull,
        rulesVersion: Type.Union([Type.Integer(), Type.Null()]),
        rulesUntil: TimeOrNull,
      }),
    ),
    pendingOrders: Type.Array(obj({ orderId: Str, plan: Str, tier: Str, createdAt: Time })),
    holds: Type.Array(
      obj({
        id: Str,
        reason: Str,
        benefits: Type.Union([Type.Array(Str), Type.Null()]),
        clearMethod: Type.Union([Type.Literal("verify_identity"), Type.Literal("agent")]),
        placedAt: Time,
      }),
    ),
    latestSession: Type.Union([
      obj({ platform: Str, version: Str, entitlementsVersion: Type.Integer(), reportedAt: Time }),
      Type.Null(),
    ]),
  },
  {
    $id: "MemberSnapshot",
    additionalProperties: false,
    description: "Everything decisions read about one member, for local evaluation (the SDK).",
  },
);

/** The services these routes use. */
export interface SnapshotRouteDeps {
  decisions: DecisionService;
}

/** The member snapshot the SDK's local evaluator decides with. */
export function registerSnapshotRoutes(server: Server, { decisions }: SnapshotRouteDeps): void {
  server.addSchema(MemberSnapshotSchema);
  server.get(
    "/v1/members/:memberId/snapshot",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["decisions"],
        summary:
          "What decisions read about the member (for local evaluation); an unknown member has exists: false",
        params: MemberParams,
        response: { 200: Type.Ref("MemberSnapshot"), ...errors(400) },
      },
    },
    async (request) => snapshotToWire(await decisions.snapshot(request.params.memberId)),
  );
}
