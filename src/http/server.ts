import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { LogController } from "fastify";
import type { App } from "../app.js";
import { registerApiKeyRoutes } from "../auth/auth-routes.js";
import { registerCatalogRoutes } from "../catalog/catalog-routes.js";
import { registerCouponRoutes } from "../coupons/coupon-routes.js";
import { registerEvaluateRoutes } from "../coupons/evaluate-routes.js";
import { registerDecisionRoutes } from "../decisions/decision-routes.js";
import { registerSnapshotRoutes } from "../decisions/snapshot-routes.js";
import { registerEventRoutes } from "../events/event-routes.js";
import { registerBenefitRoutes } from "../grants/benefit-routes.js";
import { registerQuotaRoutes } from "../grants/quota-routes.js";
import { registerHoldRoutes } from "../holds/hold-routes.js";
import { registerMemberRoutes } from "../members/member-routes.js";
import { registerMetricsRoutes } from "../metrics/metrics-routes.js";
import { registerNoticeRoutes } from "../notices/notice-routes.js";
import { registerOrderRoutes } from "../orders/order-routes.js";
import { registerAlipayRoutes } from "../payments/alipay-routes.js";
import { registerPaymentRoutes } from "../payments/payment-routes.js";
import { registerStripeRoutes } from "../payments/stripe-routes.js";
import { registerWechatPayRoutes } from "../payments/wechatpay-routes.js";
import { registerPlanRoutes } from "../plans/plan-routes.js";
import { registerReconcileRoutes } from "../reconcile/reconcile-routes.js";
import { registerSessionRoutes } from "../sessions/session-routes.js";
import { registerStatsRoutes } from "../stats/stats-routes.js";
import { registerDiagnosisRoutes } from "../support/diagnosis-routes.js";
import { registerTicketRoutes } from "../tickets/ticket-routes.js";
import { registerTimelineRoutes } from "../timeline/timeline-routes.js";
import { registerCatalogNamesRoutes } from "../web/catalog-names-routes.js";
import { registerWebUi } from "../web/web-ui.js";
import { registerWebhookRoutes } from "../webhooks/webhook-routes.js";
import { registerAuthHook } from "./auth-hook.js";
import { registerBodyParsers } from "./body-parsers.js";
import { coerceParamsOnRoute } from "./coerce-params.js";
import {
  createErrorHandler,
  createFrameworkErrorHandler,
  handleClientError,
  handleNotFound,
} from "./error-handler.js";
import { ErrorResponse } from "./schemas.js";
import type { Server } from "./server-types.js";

export interface ServerOptions {
  logLevel?: string;
  /** Maximum request body in bytes. */
  bodyLimit?: number;
  /**
   * Checks every answer against its route's response schema before it is sent (the tests: a schema
   * that disagrees with what the route answers fails the request). Given the route and the shared
   * schemas (`$ref` targets), it returns the check, which throws on a mismatch.
   */
  checkResponse?: ResponseCheck;
}

export type ResponseCheck = (
  route: { method: string; url: string; httpStatus?: string; schema: unknown },
  sharedSchemas: Record<string, unknown>,
) => (data: unknown) => void;

/** The HTTP edge: schemas, auth, error shape, OpenAPI; the work is done by the app's services. */
export async function buildServer(app: App, options: ServerOptions = {}): Promise<Server> {
  // Errors on /v1/me/* speak the member's stored language when the request names none.
  const handleError = createErrorHandler(async (memberId) => {
    const locale = (await app.data.members.get(memberId))?.locale;
    return locale === "en" || locale === "zh-CN" ? locale : null;
  });
  const server = Fastify({
    logger: { level: options.logLevel ?? "info" },
    // Request lines are logged by our onResponse hook at debug level: info-level logging of every
    // check would cost more than the check.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Room for the longest external id (128 characters) even when every character is percent-encoded.
    routerOptions: { maxParamLength: 512 },
    // Bad URLs, over-long path parameters and malformed HTTP get the documented error shape too.
    frameworkErrors: createFrameworkErrorHandler(handleError),
    clientErrorHandler: handleClientError,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Response schemas document the API; they are not used to serialize. fast-json-stringify escapes
  // Chinese text character by character; JSON.stringify is faster on it and never drops a field a
  // schema forgot. (Decisions, the hot path, are serialized by decisions/decision-json.ts.)
  const { checkResponse } = options;
  server.setSerializerCompiler((route) => {
    if (!checkResponse) return (data) => JSON.stringify(data);
    const check = checkResponse(route, server.getSchemas());
    return (data) => {
      check(data);
      return JSON.stringify(data);
    };
  });
  server.decorateRequest("principal", null);
  server.addHook("onRoute", coerceParamsOnRoute);
  server.setErrorHandler(handleError);
  server.setNotFoundHandler(handleNotFound);
  registerBodyParsers(server);
  // Request lines are logged at debug level only; the hook is not even installed otherwise, since
  // it would cost every check more than the check itself.
  if (server.log.level === "debug" || server.log.level === "trace") {
    server.addHook("onResponse", async (request, reply) => {
      request.log.debug({ method: request.method, url: request.url, status: reply.statusCode }, "request");
    });
  }
  server.addSchema(ErrorResponse);

  await server.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Perkwise",
        version: "1",
        description:
          "Membership tiers and member benefits: decisions with reasons. Errors: `{error: {code, message, details}}`.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearer: [] }],
    },
  });
  await server.register(swaggerUi, { routePrefix: "/docs" });

  registerAuthHook(server, app.auth);
  server.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  server.get("/openapi.json", { schema: { hide: true } }, async () => server.swagger());
  registerApiKeyRoutes(server, { auth: app.auth });
  registerCatalogRoutes(server, { catalog: app.catalog });
  registerMemberRoutes(server, { auth: app.auth, members: app.members });
  registerOrderRoutes(server, { orders: app.orders });
  await server.register(async (scoped) =>
    registerPaymentRoutes(scoped as Server, { payments: app.payments }),
  );
  await server.register(async (scoped) =>
    registerAlipayRoutes(scoped as Server, { payments: app.payments, alipay: app.alipay }),
  );
  await server.register(async (scoped) =>
    registerWechatPayRoutes(scoped as Server, { payments: app.payments, wechatpay: app.wechatpay }),
  );
  await server.register(async (scoped) =>
    registerStripeRoutes(scoped as Server, { payments: app.payments, stripe: app.stripe }),
  );
  registerDecisionRoutes(server, { decisions: app.decisions });
  registerBenefitRoutes(server, { benefits: app.benefits });
  registerQuotaRoutes(server, { quotas: app.quotas });
  registerTimelineRoutes(server, { timeline: app.timeline });
  registerSessionRoutes(server, { sessions: app.sessions });
  registerDiagnosisRoutes(server, { checkout: app.checkout, diagnosis: app.diagnosis });
  registerNoticeRoutes(server, { notices: app.notices });
  registerTicketRoutes(server, {
    tickets: app.tickets,
    desk: app.ticketDesk,
    selfResolve: app.ticketSelfResolve,
  });
  registerHoldRoutes(server, { holds: app.holds, signals: app.signals, verifications: app.verifications });
  registerReconcileRoutes(server, { reconcile: app.reconcile });
  registerSnapshotRoutes(server, { decisions: app.decisions });
  registerCouponRoutes(server, { coupons: app.coupons, redemptions: app.redemptions });
  registerEvaluateRoutes(server, { checkout: app.checkout });
  registerMetricsRoutes(server, { metrics: app.metrics });
  registerStatsRoutes(server, { stats: app.stats });
  registerEventRoutes(server, { events: app.events });
  registerWebhookRoutes(server, { webhooks: app.webhooks });
  registerCatalogNamesRoutes(server, { catalog: app.catalog, members: app.members });
  registerPlanRoutes(server, { plans: app.plans });
  await registerWebUi(server);
  return server;
}
