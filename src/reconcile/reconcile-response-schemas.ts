/**
 * Response schemas of the reconciliation routes (ReconcileRunView, reconcile-service.ts), so the
 * OpenAPI document and the typed console client say what a run holds. Objects stay open: a field
 * added to a run is sent before its schema names it.
 */
import { Type } from "@sinclair/typebox";
import { DRIFT_KINDS, type DriftKind as DriftKindName } from "./drift.js";

const open = { additionalProperties: true } as const;
const Time = Type.String({ format: "date-time" });
const DriftKind = Type.Unsafe<DriftKindName>(Type.String({ enum: [...DRIFT_KINDS] }));
const NullableString = Type.Union([Type.String(), Type.Null()]);

const KindCountSchema = Type.Object(
  { kind: DriftKind, found: Type.Integer(), repaired: Type.Integer() },
  open,
);

const RunFindingSchema = Type.Object(
  {
    kind: DriftKind,
    memberId: Type.String(),
    membershipId: NullableString,
    orderId: NullableString,
    ids: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description:
        "grant_missing: the missing benefits; grant_after_refund: the grants; payment_event_not_applied: the webhook ids",
    }),
    repaired: Type.Boolean(),
  },
  open,
);

export const ReconcileRunSchema = Type.Object(
  {
    id: Type.String(),
    trigger: Type.Union([Type.Literal("cli"), Type.Literal("http"), Type.Literal("job")]),
    fix: Type.Boolean({ description: "a repair (true) or a dry run" }),
    status: Type.Union([Type.Literal("running"), Type.Literal("finished"), Type.Literal("failed")]),
    startedAt: Time,
    finishedAt: Type.Union([Time, Type.Null()]),
    membersScanned: Type.Integer(),
    found: Type.Integer(),
    repaired: Type.Integer(),
    remaining: Type.Integer({ description: "Found and not repaired" }),
    kinds: Type.Array(KindCountSchema, { description: "Found and repaired per drift kind" }),
    findings: Type.Array(RunFindingSchema, { description: "The first findings (at most 100)" }),
    error: NullableString,
  },
  open,
);

export const ReconcileRunsSchema = Type.Object({ runs: Type.Array(ReconcileRunSchema) }, open);
