import { Type } from "@sinclair/typebox";
import { errors, Nullable, NullableTime, OneOf, OPEN, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { DRIFT_KINDS } from "./drift.js";
import type { ReconcileService } from "./reconcile-service.js";

const ReconcileBody = Type.Object(
  { fix: Type.Optional(Type.Boolean({ description: "repair what is found (default false: a dry run)" })) },
  { additionalProperties: false },
);
const DriftKind = OneOf(DRIFT_KINDS);
const ReconcileRun = Type.Object(
  {
    id: Type.String(),
    trigger: OneOf(["cli", "http", "job"]),
    fix: Type.Boolean(),
    status: OneOf(["running", "finished", "failed"]),
    startedAt: Time,
    finishedAt: NullableTime,
    membersScanned: Type.Integer(),
    found: Type.Integer(),
    repaired: Type.Integer(),
    remaining: Type.Integer({ description: "Found and not repaired" }),
    kinds: Type.Array(
      Type.Object({ kind: DriftKind, found: Type.Integer(), repaired: Type.Integer() }, OPEN),
    ),
    findings: Type.Array(
      Type.Object(
        {
          kind: DriftKind,
          memberId: Type.String(),
          membershipId: Nullable(Type.String()),
          orderId: Nullable(Type.String()),
          ids: Nullable(Type.Array(Type.String())),
          repaired: Type.Boolean(),
        },
        OPEN,
      ),
      { description: "The first findings (at most 100)" },
    ),
    error: Nullable(Type.String()),
  },
  { ...OPEN, $id: "ReconcileRun" },
);
const tags = ["reconciliation"];

/** The services these routes use. */
export interface ReconcileRouteDeps {
  reconcile: ReconcileService;
}

/** Reconciliation runs: start one (operators), and list the recent ones (operators and support). */
export function registerReconcileRoutes(server: Server, { reconcile }: ReconcileRouteDeps): void {
  server.addSchema(ReconcileRun);
  server.post(
    "/v1/reconcile",
    {
      config: { roles: ["admin"] },
      schema: {
        tags,
        summary:
          "Scan every member for drift between orders, payments, memberships and grants; repair with fix",
        description:
          "Runs to the end before answering (about 10,000 members per statement); the answer is the run's summary: counts per drift kind, found and repaired, and the first 100 findings.",
        body: ReconcileBody,
        response: { 200: Type.Ref("ReconcileRun"), ...errors(400, 404) },
      },
    },
    async (request) => reconcile.run({ fix: request.body.fix ?? false, trigger: "http" }),
  );
  server.get(
    "/v1/reconcile/runs",
    {
      config: { roles: ["admin", "support"] },
      schema: {
        tags,
        summary: "The 20 most recent reconciliation runs, newest first",
        response: { 200: Type.Object({ runs: Type.Array(Type.Ref("ReconcileRun")) }) },
      },
    },
    async () => ({ runs: await reconcile.runs(20) }),
  );
}
