import { Type } from "@sinclair/typebox";
import type { CatalogService } from "../catalog/catalog-service.js";
import { localize } from "../engine/message-format.js";
import { preferredLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { MemberService } from "../members/member-service.js";

const MemberProfile = Type.Object({
  memberId: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String({ description: "IANA time zone: the member centre shows every time in it" }),
});
const Named = Type.Object({ code: Type.String(), name: Type.String() });
const CatalogNames = Type.Object({
  version: Type.Integer(),
  tiers: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), rank: Type.Integer() })),
  benefits: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      description: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  coupons: Type.Array(Named),
});

/** The services these routes use. */
export interface CatalogNamesRouteDeps {
  catalog: CatalogService;
  members: MemberService;
}

/**
 * What a member may read about themselves (`/v1/me/profile`) and of the catalog in force: the names of tiers, benefits and coupons in the
 * caller's language (Accept-Language), so the member centre can label what the API names by code.
 * Prices, rules and scopes stay with the operators (`GET /v1/catalog`).
 */
export function registerCatalogNamesRoutes(
  server: Server,
  { catalog, members }: CatalogNamesRouteDeps,
): void {
  server.get(
    "/v1/me/profile",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "My name, stored locale and time zone (the member centre shows times in that zone)",
        response: { 200: MemberProfile, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const member = await members.requireMember(memberOf(request.principal));
      return {
        memberId: member.id,
        displayName: member.displayName,
        locale: member.locale,
        timezone: member.timezone,
      };
    },
  );
  server.get(
    "/v1/me/catalog",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Names of the tiers, benefits and coupons in force, in my language",
        response: { 200: CatalogNames, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const inForce = catalog.require();
      const locale = preferredLocale(request.headers["accept-language"]) ?? "en";
      return {
        version: inForce.version,
        tiers: [...inForce.tiers.values()].map((t) => ({
          code: t.code,
          name: localize(t.name, locale),
          rank: t.rank,
        })),
        benefits: [...inForce.benefits.values()].map((b) => ({
          code: b.code,
          name: localize(b.name, locale),
          kind: b.kind,
          description: b.description === undefined ? null : localize(b.description, locale),
        })),
        coupons: [...inForce.coupons.values()].map((c) => ({ code: c.code, name: localize(c.name, locale) })),
      };
    },
  );
}
