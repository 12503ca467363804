import { type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { FastifySchemaValidationError } from "fastify";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import {
  CatalogPutResultSchema,
  CatalogVersionDiffSchema,
  CatalogVersionDocumentSchema,
  CatalogVersionListSchema,
} from "./catalog-response-schemas.js";
import { CatalogDocumentSchema, CatalogPutBodySchema } from "./catalog-schema.js";
import type { CatalogService } from "./catalog-service.js";

/** A version with everything a local evaluator needs to compile it and explain rule changes. */
const CatalogHistorySchema = Type.Object(
  {
    versions: Type.Array(
      Type.Object({
        version: Type.Integer(),
        createdAt: Type.String({ format: "date-time" }),
        effectiveFrom: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
        inForceFrom: Type.String({ format: "date-time" }),
        document: CatalogDocumentSchema,
        diff: Type.Object(
          {
            tiers: Type.Array(Type.Record(Type.String(), Type.Unknown())),
            benefits: Type.Array(Type.Record(Type.String(), Type.Unknown())),
            coupons: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
          },
          { description: "What this version changed against the one before (see /versions/{n}/diff)" },
        ),
      }),
    ),
  },
  { $id: "CatalogHistory" },
);

const VersionParams = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const tags = ["catalog"];

const PutQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({
        description:
          "true: answer what the PUT would do — {dryRun, version, effectiveFrom, diff, impact} — and write nothing",
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The PUT's validators: its body is validated by the service (structure and meaning together, so
 * every problem is listed in one answer); the rest by its schema, with errors shaped as Ajv's so the
 * error handler reports them like any route's.
 */
function putValidator({ httpPart, schema }: { httpPart?: string; schema: unknown }) {
  if (httpPart === "body") return () => true;
  const validate = (data: unknown) => {
    validate.errors = [...Value.Errors(schema as TSchema, data ?? {})].map(
      (e): FastifySchemaValidationError => ({
        keyword: String(e.type),
        instancePath: e.path,
        schemaPath: e.path,
        message: e.message,
        params: {},
      }),
    );
    return validate.errors.length === 0;
  };
  validate.errors = [] as FastifySchemaValidationError[];
  return validate;
}

/** The services these routes use. */
export interface CatalogRouteDeps {
  catalog: CatalogService;
}

/** PUT/GET the catalog and its immutable versions with diffs. */
export function registerCatalogRoutes(server: Server, { catalog }: CatalogRouteDeps): void {
  // By reference: the document's TypeBox static type is stricter than the catalog's own types.
  server.addSchema(CatalogVersionDocumentSchema);
  server.put(
    "/v1/catalog",
    {
      config: { roles: ["admin"] },
      schema: {
        tags,
        summary:
          "Replace the catalog: validates everything at once and creates version n+1 (JSON or YAML body)",
        description:
          'A document that removes tiers, plans or benefits members hold, or plans pending orders name, answers 409 CATALOG_CHANGE_NEEDS_CONFIRMATION (details: each removal with its members and pendingOrders) unless the body says "confirm": "remove". With ?dryRun=true nothing is written: the answer is the diff and the impact (removals, members whose decisions change, notices, pending orders on removed plans).',
        querystring: PutQuery,
        body: CatalogPutBodySchema,
        response: { 200: CatalogPutResultSchema, ...errors(400, 401, 403, 409, 413, 415) },
      },
      validatorCompiler: putValidator,
    },
    async (request) =>
      request.query.dryRun === true ? catalog.preview(request.body) : catalog.put(request.body),
  );
  server.get(
    "/v1/catalog",
    {
      config: { roles: ["admin", "service"] },
      schema: {
        tags,
        summary: "The catalog version in force (a scheduled one takes over at its effectiveFrom)",
        response: { 200: Type.Ref("CatalogVersionDocument") },
      },
    },
    async () => {
      const current = catalog.require();
      return {
        version: current.version,
        createdAt: new Date(current.createdAt).toISOString(),
        ...current.document,
      };
    },
  );
  server.get(
    "/v1/catalog/versions",
    {
      config: { roles: ["admin", "service"] },
      schema: {
        tags,
        summary:
          "Every catalog version with its notice, effectiveFrom, policy and status (scheduled, in_force, superseded)",
        response: { 200: CatalogVersionListSchema },
      },
    },
    async () => ({
      versions: (await catalog.versions()).map((v) => ({
        version: v.version,
        notice: v.notice,
        effectiveFrom: v.effectiveFrom?.toISOString() ?? null,
        policy: v.policy,
        status: v.status,
        inForceFrom: v.activeAt.toISOString(),
        createdAt: v.createdAt.toISOString(),
      })),
    }),
  );
  server.addSchema(CatalogHistorySchema);
  server.get(
    "/v1/catalog/history",
    {
      config: { roles: ["admin", "service"] },
      schema: {
        tags,
        summary:
          "Every version with its document and diff, oldest first: what a local evaluator (the SDK) compiles",
        response: { 200: Type.Ref("CatalogHistory") },
      },
    },
    async () => ({
      versions: (await catalog.history()).map((v) => ({
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        effectiveFrom: v.effectiveFrom?.toISOString() ?? null,
        inForceFrom: v.activeAt.toISOString(),
        document: v.document,
        diff: v.diff,
      })),
    }),
  );
  server.get(
    "/v1/catalog/versions/:n",
    {
      config: { roles: ["admin", "service"] },
      schema: {
        tags,
        summary: "One catalog version",
        params: VersionParams,
        response: { 200: Type.Ref("CatalogVersionDocument") },
      },
    },
    async (request) => {
      const record = await catalog.version(request.params.n);
      return { version: record.version, createdAt: record.createdAt.toISOString(), ...record.document };
    },
  );
  server.get(
    "/v1/catalog/versions/:n/diff",
    {
      config: { roles: ["admin", "service"] },
      schema: {
        tags,
        summary: "What version n changed against n−1",
        params: VersionParams,
        response: { 200: CatalogVersionDiffSchema },
      },
    },
    async (request) => {
      const record = await catalog.version(request.params.n);
      return {
        version: record.version,
        previous: record.version > 1 ? record.version - 1 : null,
        diff: record.diff,
      };
    },
  );
}
