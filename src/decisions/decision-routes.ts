import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { LOCALES } from "../catalog/catalog-types.js";
import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { EntitlementsSchema } from "../http/member-view-schemas.js";
import {
  Code,
  DecisionContextSchema,
  DecisionSchema,
  errors,
  MemberId,
  MemberParams,
} from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { batchJson, decisionJson } from "./decision-json.js";
import type { DecisionService } from "./decision-service.js";

const checkProperties = { memberId: MemberId, benefit: Code, context: Type.Optional(DecisionContextSchema) };
const CheckBody = Type.Object(
  {
    ...checkProperties,
    locale: Type.Optional(
      Type.Union(
        LOCALES.map((l) => Type.Literal(l)),
        {
          description:
            "The language of the reasons' messages, over the member's stored locale (which otherwise wins for service keys): what the member would read in that language, as the console shows it",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
const BatchCheck = Type.Object(checkProperties, { additionalProperties: false });
const MeCheckBody = Type.Object(
  { benefit: Code, context: Type.Optional(DecisionContextSchema) },
  { additionalProperties: false },
);
const BatchBody = Type.Object(
  { checks: Type.Array(BatchCheck, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
const tags = ["decisions"];

/** The services these routes use. */
export interface DecisionRouteDeps {
  decisions: DecisionService;
}

/** Decisions (single and batch) and entitlement snapshots with ETag. */
export function registerDecisionRoutes(server: Server, { decisions }: DecisionRouteDeps): void {
  server.addSchema(DecisionSchema);
  server.addSchema(EntitlementsSchema);
  server.post(
    "/v1/check",
    {
      config: { roles: ["service"] },
      schema: {
        tags,
        summary: "May this member use this benefit now? allowed + reasons",
        body: CheckBody,
        response: { 200: Type.Ref("Decision"), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const { locale, ...input } = request.body;
      const decision = locale
        ? await decisions.check(input, locale, true)
        : await decisions.check(input, readerLocale(request));
      return sendJson(reply, decisionJson(decision));
    },
  );
  server.post(
    "/v1/check/batch",
    {
      config: { roles: ["service"] },
      schema: {
        tags,
        summary: "Up to 1000 checks in one request",
        body: BatchBody,
        response: { 200: Type.Object({ results: Type.Array(Type.Ref("Decision")) }), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const answers = await decisions.batch(request.body.checks, readerLocale(request));
      return sendJson(reply, batchJson(answers));
    },
  );
  server.get(
    "/v1/members/:memberId/entitlements",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags,
        summary: "Every benefit with its state; ETag = entitlements version",
        params: MemberParams,
        response: { 200: Type.Ref("Entitlements"), ...errors(404) },
      },
    },
    async (request, reply) => {
      const snapshot = await decisions.entitlements(request.params.memberId, readerLocale(request));
      return sendWithEtag(request.headers["if-none-match"], snapshot, reply);
    },
  );
  server.get(
    "/v1/me/entitlements",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "My benefits and their states",
        response: { 200: Type.Ref("Entitlements") },
      },
    },
    async (request, reply) => {
      const snapshot = await decisions.entitlements(memberOf(request.principal), readerLocale(request));
      return sendWithEtag(request.headers["if-none-match"], snapshot, reply);
    },
  );
  server.post(
    "/v1/me/check",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "May I use this benefit?",
        body: MeCheckBody,
        response: { 200: Type.Ref("Decision") },
      },
    },
    async (request, reply) => {
      const decision = await decisions.check(
        { ...request.body, memberId: memberOf(request.principal) },
        readerLocale(request),
      );
      return sendJson(reply, decisionJson(decision));
    },
  );
}

/** Sends JSON that is already serialized and encoded. */
function sendJson(reply: FastifyReply, json: Buffer) {
  return reply.type("application/json; charset=utf-8").send(json);
}

function sendWithEtag(
  ifNoneMatch: string | undefined,
  snapshot: { entitlementsVersion: number },
  reply: FastifyReply,
) {
  const etag = `"${snapshot.entitlementsVersion}"`;
  reply.header("etag", etag).header("cache-control", "private, no-cache");
  const matches = ifNoneMatch
    ?.split(",")
    .some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
  if (matches) return reply.status(304).send();
  return reply.send(snapshot);
}
