import { Type } from "@sinclair/typebox";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { API_KEY_ROLES } from "./api-key-roles.js";
import type { AuthService } from "./auth-service.js";

const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Union(API_KEY_ROLES.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);

/** The services these routes use. */
export interface ApiKeyRouteDeps {
  auth: AuthService;
}

export function registerApiKeyRoutes(server: Server, { auth }: ApiKeyRouteDeps): void {
  server.post(
    "/v1/api-keys",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["auth"],
        summary: "Create an API key; the key is shown once and stored hashed",
        body: ApiKeyBody,
        response: errors(400, 401, 403),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await auth.createApiKey(request.body.name, request.body.role)),
  );
  server.get(
    "/v1/api-keys",
    { config: { roles: ["admin"] }, schema: { tags: ["auth"], summary: "API keys (without secrets)" } },
    async () => ({ keys: await auth.listApiKeys() }),
  );
}
