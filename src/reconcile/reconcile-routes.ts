import { Type } from "@sinclair/typebox";
import type { App } from "../app.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";

const ReconcileBody = Type.Object(
  { fix: Type.Optional(Type.Boolean({ description: "repair what is found (default false: a dry run)" })) },
  { additionalProperties: false },
);
const tags = ["reconciliation"];

/** Reconciliation runs: start one (operators), and list the recent ones (operators and support). */
export function registerReconcileRoutes(server: Server, app: App): void {
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
        response: errors(400, 404),
      },
    },
    async (request) => app.reconcile.run({ fix: request.body.fix ?? false, trigger: "http" }),
  );
  server.get(
    "/v1/reconcile/runs",
    {
      config: { roles: ["admin", "support"] },
      schema: { tags, summary: "The 20 most recent reconciliation runs, newest first" },
    },
    async () => ({ runs: await app.reconcile.runs(20) }),
  );
}
