import { type Static, Type } from "@sinclair/typebox";
import type { CheckoutService, CouponDiagnosisRequest } from "../coupons/checkout-service.js";
import { CartSchema } from "../coupons/evaluation-schemas.js";
import type { RequestLocale } from "../engine/decision-context.js";
import { AppError, type ErrorDetail } from "../errors.js";
import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { Code, DecisionContextSchema, errors, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { DiagnoseRequest, DiagnosisService } from "./diagnosis-service.js";

const OrderId = Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" });
const DiagnoseBody = Type.Object(
  {
    benefit: Type.Optional(Code),
    context: Type.Optional(DecisionContextSchema),
    orderId: Type.Optional(OrderId),
    coupon: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9_.-]{1,64}$",
        description: "a coupon id (cpn_…) or a coupon template code; needs `cart`",
      }),
    ),
    cart: Type.Optional(CartSchema),
  },
  {
    additionalProperties: false,
    description:
      "Either `benefit` (with optional `context` and `orderId`): why a benefit does not work; or " +
      "`coupon` and `cart`: why a coupon does not apply to that cart, with the reasons checkout gives.",
  },
);
type DiagnoseBodyType = Static<typeof DiagnoseBody>;

/** One of the two questions a diagnosis answers, or every problem of a body that asks neither. */
function diagnoseQuestion(
  body: DiagnoseBodyType,
): { benefit: DiagnoseRequest } | { coupon: CouponDiagnosisRequest } {
  const { benefit, coupon, cart, context, orderId } = body;
  const problems: ErrorDetail[] = [];
  if ((benefit === undefined) === (coupon === undefined)) {
    problems.push({ path: "", message: "ask about exactly one of `benefit` and `coupon`" });
  }
  if (coupon !== undefined && cart === undefined)
    problems.push({ path: "/cart", message: "a coupon needs the cart" });
  if (benefit !== undefined && cart !== undefined)
    problems.push({ path: "/cart", message: "only with `coupon`" });
  if (coupon !== undefined && orderId !== undefined)
    problems.push({ path: "/orderId", message: "only with `benefit`" });
  if (problems.length > 0)
    throw new AppError("VALIDATION_FAILED", "The diagnosis request is not valid.", problems);
  if (coupon !== undefined) return { coupon: { coupon, cart: cart!, at: context?.at } };
  return { benefit: { benefit: benefit!, context, orderId } };
}

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

const CouponDiagnosisSchema = Type.Object(
  {
    memberId: Type.String(),
    verdict: Type.Union([Type.Literal("working"), Type.Literal("not_working")]),
    coupon: Type.Ref("CouponEvaluation"),
    evidence: Type.Array(Evidence),
    at: Type.String(),
  },
  { $id: "CouponDiagnosis" },
);

const response = {
  200: Type.Union([Type.Ref("Diagnosis"), Type.Ref("CouponDiagnosis")]),
  ...errors(400, 404),
};

function diagnoseFor(
  { checkout, diagnosis }: DiagnosisRouteDeps,
  memberId: string,
  body: DiagnoseBodyType,
  locale: RequestLocale,
) {
  const question = diagnoseQuestion(body);
  return "coupon" in question
    ? checkout.diagnose(memberId, question.coupon, locale)
    : diagnosis.diagnose(memberId, question.benefit, locale);
}

/** The services these routes use. */
export interface DiagnosisRouteDeps {
  checkout: CheckoutService;
  diagnosis: DiagnosisService;
}

/** "Why isn't my benefit working?" (or this coupon) for support and services, and for the member themselves. */
export function registerDiagnosisRoutes(server: Server, deps: DiagnosisRouteDeps): void {
  server.addSchema(DiagnosisSchema);
  server.addSchema(CouponDiagnosisSchema);
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
        response,
      },
    },
    async (request) => diagnoseFor(deps, request.params.memberId, request.body, readerLocale(request)),
  );
  server.post(
    "/v1/me/diagnose",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Why isn't my benefit working?",
        body: DiagnoseBody,
        response,
      },
    },
    async (request) => diagnoseFor(deps, memberOf(request.principal), request.body, readerLocale(request)),
  );
}
