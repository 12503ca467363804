import { Type } from "@sinclair/typebox";
import { CLIENT_PLATFORMS } from "../catalog/catalog-types.js";
import { memberOf } from "../http/auth-hook.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { SessionService } from "./session-service.js";

const SessionBody = Type.Object(
  {
    platform: Type.Union(CLIENT_PLATFORMS.map((p) => Type.Literal(p))),
    version: Type.String({ minLength: 1, maxLength: 64, pattern: "^[0-9A-Za-z.+-]+$" }),
    entitlementsVersion: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);

const SessionReceiptSchema = Type.Object({
  sessionId: Type.String(),
  platform: Type.String(),
  version: Type.String(),
  entitlementsVersion: Type.Integer(),
  reportedAt: Type.String(),
  serverEntitlementsVersion: Type.Integer(),
  stale: Type.Boolean(),
});

/** The services these routes use. */
export interface SessionRouteDeps {
  sessions: SessionService;
}

/** `POST /v1/me/sessions`: the member's app says which version it is and which entitlements it holds. */
export function registerSessionRoutes(server: Server, { sessions }: SessionRouteDeps): void {
  server.post(
    "/v1/me/sessions",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Report my app: platform, version and the entitlements version it has cached",
        body: SessionBody,
        response: { 201: SessionReceiptSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const receipt = await sessions.report(memberOf(request.principal), request.body);
      return reply.status(201).send(receipt);
    },
  );
}
