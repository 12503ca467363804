import { Type } from "@sinclair/typebox";
import { memberOf } from "../http/auth-hook.js";
import { BenefitParams, errors, MemberBenefitParams, OPEN, Time } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { BenefitActionService } from "./benefit-action-service.js";

const ToggleBody = Type.Object({ on: Type.Boolean() }, { additionalProperties: false });
const actionErrors = errors(400, 404, 409);
const Claimed = Type.Object(
  {
    benefit: Type.String(),
    claimedAt: Time,
    alreadyClaimed: Type.Boolean(),
    entitlementsVersion: Type.Optional(Type.Integer({ description: "Absent when it was already claimed" })),
    claimedCoupons: Type.Optional(
      Type.Array(Type.String(), { description: "A coupon pack: the coupons this claim took" }),
    ),
  },
  OPEN,
);
const Toggled = Type.Object(
  {
    benefit: Type.String(),
    on: Type.Boolean(),
    changed: Type.Boolean(),
    entitlementsVersion: Type.Optional(Type.Integer({ description: "Absent when nothing changed" })),
  },
  OPEN,
);

/** The services these routes use. */
export interface BenefitRouteDeps {
  benefits: BenefitActionService;
}

/** Claim and toggle, for the member (`/v1/me`) and for the platform on a member's behalf. */
export function registerBenefitRoutes(server: Server, { benefits }: BenefitRouteDeps): void {
  server.post(
    "/v1/me/benefits/:benefit/claim",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Claim a benefit that needs claiming",
        params: BenefitParams,
        response: { 200: Claimed, ...actionErrors },
      },
    },
    async (request) => benefits.claim(memberOf(request.principal), request.params.benefit, "member"),
  );
  server.put(
    "/v1/me/benefits/:benefit/toggle",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Switch a toggle benefit on or off",
        params: BenefitParams,
        body: ToggleBody,
        response: { 200: Toggled, ...actionErrors },
      },
    },
    async (request) =>
      benefits.toggle(memberOf(request.principal), request.params.benefit, request.body.on, "member"),
  );
  server.post(
    "/v1/members/:memberId/benefits/:benefit/claim",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["members"],
        summary: "Claim a benefit for a member",
        params: MemberBenefitParams,
        response: { 200: Claimed, ...actionErrors },
      },
    },
    async (request) => benefits.claim(request.params.memberId, request.params.benefit, "service"),
  );
  server.put(
    "/v1/members/:memberId/benefits/:benefit/toggle",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["members"],
        summary: "Switch a member's toggle benefit",
        params: MemberBenefitParams,
        body: ToggleBody,
        response: { 200: Toggled, ...actionErrors },
      },
    },
    async (request) =>
      benefits.toggle(request.params.memberId, request.params.benefit, request.body.on, "service"),
  );
}
