import { Type } from "@sinclair/typebox";
import type { AuthService } from "../auth/auth-service.js";
import { LOCALES } from "../catalog/catalog-types.js";
import { errors, MemberParams, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { MemberDetailSchema } from "./member-detail-schema.js";
import type { MemberService } from "./member-service.js";

const MemberBody = Type.Object(
  {
    displayName: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    locale: Type.Optional(Type.Union([...LOCALES.map((l) => Type.Literal(l)), Type.Null()])),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone" })),
  },
  { additionalProperties: false },
);
const TokenBody = Type.Object(
  { ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 90 * 24 * 3600 })) },
  { additionalProperties: false },
);
const SearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: "id prefix or part of the display name; empty: all" }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
const MemberSummary = Type.Object({
  memberId: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(),
  entitlementsVersion: Type.Integer(),
  createdAt: Time,
  updatedAt: Time,
});
const MemberToken = Type.Object({
  memberId: Type.String(),
  token: Type.String({ description: "A bearer token for /v1/me/* only" }),
  expiresAt: Time,
});
const tags = ["members"];

/** The services these routes use. */
export interface MemberRouteDeps {
  auth: AuthService;
  members: MemberService;
}

/** Registering members, reading them, and issuing member tokens. */
export function registerMemberRoutes(server: Server, { auth, members }: MemberRouteDeps): void {
  server.addSchema(MemberDetailSchema);
  server.put(
    "/v1/members/:memberId",
    {
      config: { roles: ["service"] },
      schema: {
        tags,
        summary: "Create or update a member",
        params: MemberParams,
        body: MemberBody,
        response: {
          200: { ...MemberSummary, description: "Updated" },
          201: { ...MemberSummary, description: "Created" },
          ...errors(400),
        },
      },
    },
    async (request, reply) => {
      const { member, created } = await members.upsert({ id: request.params.memberId, ...request.body });
      return reply.status(created ? 201 : 200).send(member);
    },
  );
  server.get(
    "/v1/members",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags,
        summary: "Find members by id prefix or display name (the console's search)",
        querystring: SearchQuery,
        response: { 200: Type.Object({ members: Type.Array(MemberSummary) }), ...errors(400) },
      },
    },
    async (request) => members.search(request.query.q ?? "", request.query.limit ?? 20),
  );
  server.get(
    "/v1/members/:memberId",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags,
        summary: "A member with memberships, grants, orders and holds",
        params: MemberParams,
        response: { 200: Type.Ref("MemberDetail"), ...errors(404) },
      },
    },
    async (request) => members.detail(request.params.memberId),
  );
  server.post(
    "/v1/members/:memberId/token",
    {
      config: { roles: ["service"] },
      schema: {
        tags,
        summary: "A member token, valid only for /v1/me/*",
        params: MemberParams,
        body: Type.Optional(TokenBody),
        response: { 200: MemberToken, ...errors(400, 404) },
      },
    },
    async (request) => {
      await members.requireMember(request.params.memberId);
      return auth.memberToken(request.params.memberId, request.body?.ttlSeconds);
    },
  );
}
