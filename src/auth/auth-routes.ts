import { Type } from "@sinclair/typebox";
import { AppError } from "../errors.js";
import { errors, Nullable, OneOf, OPEN, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { API_KEY_ROLES } from "./api-key-roles.js";
import { type AuthService, DEFAULT_ROTATION_OVERLAP_MINUTES } from "./auth-service.js";

const Role = OneOf(API_KEY_ROLES);
const ApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Union(API_KEY_ROLES.map((r) => Type.Literal(r))),
    expiresAt: Type.Optional(Type.String({ format: "date-time", description: "Refused from then on" })),
  },
  { additionalProperties: false },
);
const RotateBody = Type.Object(
  {
    overlapMinutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 24 * 60,
        default: DEFAULT_ROTATION_OVERLAP_MINUTES,
        description: "How long the current secret stays accepted beside the new one (0: refused at once)",
      }),
    ),
  },
  { additionalProperties: false },
);
const KeyParams = Type.Object({ id: Type.String({ pattern: "^[0-9a-f]{16}$" }) });

const apiKeyFields = {
  id: Type.String(),
  name: Type.String(),
  role: Role,
  createdAt: Time,
  lastUsedAt: Type.Union([Time, Type.Null()], { description: "Written at most once a minute" }),
  expiresAt: Nullable(Time),
  revokedAt: Nullable(Time),
  previousSecretValidUntil: Type.Union([Time, Type.Null()], {
    description: "After a rotation: the previous secret is accepted until then",
  }),
};
const ApiKey = Type.Object(apiKeyFields, OPEN);
const ApiKeyWithSecret = Type.Object(
  { ...apiKeyFields, key: Type.String({ description: "The secret: shown this once, stored hashed" }) },
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
        response: { 201: ApiKeyWithSecret, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { name, role, expiresAt } = request.body;
      const expiry = expiresAt === undefined ? null : new Date(expiresAt);
      return reply.status(201).send(await auth.createApiKey(name, role, expiry));
    },
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
  server.delete(
    "/v1/api-keys/:id",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["auth"],
        summary: "Revoke an API key, at once on every node; revoking it again changes nothing",
        params: KeyParams,
        response: { 200: ApiKey, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => found(await auth.revokeApiKey(request.params.id), request.params.id),
  );
  server.post(
    "/v1/api-keys/:id/rotate",
    {
      config: { roles: ["admin"] },
      schema: {
        tags: ["auth"],
        summary: "A new secret for a live key; the current one stays accepted for the overlap",
        params: KeyParams,
        body: RotateBody,
        response: { 200: ApiKeyWithSecret, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      found(await auth.rotateApiKey(request.params.id, request.body.overlapMinutes), request.params.id),
  );
}

function found<T>(key: T | null, id: string): T {
  if (key === null) throw new AppError("API_KEY_NOT_FOUND", `No live API key ${id}.`);
  return key;
}
