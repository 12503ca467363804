import { Type } from "@sinclair/typebox";
import { errors, Nullable, OneOf, OPEN, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { API_KEY_ROLES } from "./api-key-roles.js";
import type { AuthService } from "./auth-service.js";

const Role = OneOf(API_KEY_ROLES);
const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Union(API_KEY_ROLES.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);

const ApiKey = Type.Object(
  { id: Type.String(), name: Type.String(), role: Role, createdAt: Time, revokedAt: Nullable(Time) },
  OPEN,
);
const CreatedApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: Role,
    key: Type.String({ description: "The secret: shown this once, stored hashed" }),
    createdAt: Time,
  },
  OPEN,
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
        response: { 201: CreatedApiKey, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await auth.createApiKey(request.body.name, request.body.role)),
  );
  server.get(
    "/v1/api-keys",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["auth"],
        summary: "API keys (without secrets)",
        response: { 200: Type.Object({ keys: Type.Array(ApiKey) }), ...errors(401, 403) },
      },
    },
    async () => ({ keys: await auth.listApiKeys() }),
  );
}
