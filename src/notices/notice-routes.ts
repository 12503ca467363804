import { Type } from "@sinclair/typebox";
import { ExplainedCatalogChangeSchema } from "../catalog/catalog-response-schemas.js";
import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { errors, MemberParams, NoContent } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { NoticeService } from "./notice-service.js";

const FieldChange = Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() });
const NoticeSchema = Type.Object(
  {
    id: Type.String(),
    catalogVersion: Type.Integer(),
    createdAt: Type.String({ format: "date-time" }),
    appliesFrom: Type.String({
      format: "date-time",
      description:
        "When the change reaches this member: the version's effective time, or (grandfather) the end of their term",
    }),
    policy: Type.Union([Type.Literal("apply_now"), Type.Literal("grandfather")]),
    title: Type.String(),
    message: Type.String({ description: "The operator's notice text, or a generated summary of `changes`" }),
    changes: Type.Array(
      Type.Object({
        tier: Type.String(),
        withdrawn: Type.Array(Type.String()),
        added: Type.Array(Type.String()),
        changed: Type.Array(Type.Object({ benefit: Type.String(), fields: Type.Array(FieldChange) })),
      }),
      { description: "What changes for this member, per tier they hold" },
    ),
    explained: ExplainedCatalogChangeSchema,
    readAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { $id: "Notice" },
);
const NoticeList = Type.Object({ notices: Type.Array(Type.Ref("Notice")) });
const NoticeParams = Type.Object(
  { noticeId: Type.String({ pattern: "^ntc_[a-f0-9]{32}$" }) },
  { additionalProperties: false },
);

/** The services these routes use. */
export interface NoticeRouteDeps {
  notices: NoticeService;
}

/** Rule-change notices: the member's own, and any member's for the platform and support. */
export function registerNoticeRoutes(server: Server, { notices }: NoticeRouteDeps): void {
  server.addSchema(NoticeSchema);
  server.get(
    "/v1/me/notices",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Notices of catalog changes that alter my benefits, newest first",
        response: { 200: NoticeList, ...errors(401, 403) },
      },
    },
    async (request) => notices.list(memberOf(request.principal), readerLocale(request)),
  );
  server.post(
    "/v1/me/notices/:noticeId/read",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Mark one of my notices read",
        params: NoticeParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await notices.markRead(memberOf(request.principal), request.params.noticeId);
      return reply.status(204).send();
    },
  );
  server.get(
    "/v1/members/:memberId/notices",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags: ["members"],
        summary: "A member's rule-change notices, newest first, in the member's locale",
        params: MemberParams,
        response: { 200: NoticeList, ...errors(401, 403, 404) },
      },
    },
    async (request) => notices.list(request.params.memberId, readerLocale(request)),
  );
}
