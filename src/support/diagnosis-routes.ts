import { Type } from "@sinclair/typebox";
import type { App } from "../app.js";
import { preferredLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { Code, DecisionContextSchema, errors, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server.js";

const OrderId = Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" });
const DiagnoseBody = Type.Object(
  { benefit: Code, context: Type.Optional(DecisionContextSchema), orderId: Type.Optional(OrderId) },
  { additionalProperties: false },
);

const Evidence = Type.Object({
  type: Type.String(),
  id: Type.String(),
  at: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
});
const DiagnosisSchema = Type.Object(
  {
    memberId: Type.String(),
    benefit: Type.String(),
    allowed: Type.Boolean(),
    verdict: Type.Union([Type.Literal("working"), Type.Literal("not_working")]),
    causes: Type.Array(Type.String()),
    findings: Type.Array(
      Type.Object({
        cause: Type.String(),
        code: Type.String(),
        message: Type.String(),
        details: Type.Record(Type.String(), Type.Unknown()),
        evidence: Type.Array(Evidence),
        remedy: Type.Object({
          actor: Type.String(),
          action: Type.String(),
          until: Type.Optional(Type.String()),
        }),
        autoFixed: Type.Optional(Type.Boolean()),
      }),
    ),
    steps: Type.Array(Type.Object({ step: Type.String(), status: Type.String(), detail: Type.String() })),
    entitlementsVersion: Type.Integer(),
    at: Type.String(),
  },
  { $id: "Diagnosis" },
);

/** "Why isn't my benefit working?" for support and services, and for the member themselves. */
export function registerDiagnosisRoutes(server: Server, app: App): void {
  server.addSchema(DiagnosisSchema);
  server.post(
    "/v1/members/:memberId/diagnose",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags: ["support"],
        summary:
          "Diagnose a benefit that does not work: findings with evidence and remedies, self-check steps",
        params: MemberParams,
        body: DiagnoseBody,
        response: { 200: Type.Ref("Diagnosis"), ...errors(400, 404) },
      },
    },
    async (request) =>
      app.diagnosis.diagnose(
        request.params.memberId,
        request.body,
        preferredLocale(request.headers["accept-language"]),
      ),
  );
  server.post(
    "/v1/me/diagnose",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Why isn't my benefit working?",
        body: DiagnoseBody,
        response: { 200: Type.Ref("Diagnosis"), ...errors(400, 404) },
      },
    },
    async (request) =>
      app.diagnosis.diagnose(
        memberOf(request.principal),
        request.body,
        preferredLocale(request.headers["accept-language"]),
      ),
  );
}
