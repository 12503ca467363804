import { Type } from "@sinclair/typebox";
import { memberOf } from "../http/auth-hook.js";
import { MemberHoldsSchema } from "../http/member-view-schemas.js";
import { Code, errors, MemberId, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import {
  ClearedHold,
  CodeSent,
  HoldPage,
  HoldSchema,
  HoldWithEvents,
  RecordedSignal,
  VerifiedHold,
} from "./hold-response-schemas.js";
import type { HoldService } from "./hold-service.js";
import { actorOf } from "./hold-service.js";
import { CLEAR_METHODS, HOLD_REASONS } from "./hold-types.js";
import { RiskRulesSchema } from "./risk-rules.js";
import type { SignalService } from "./signal-service.js";
import type { VerificationService } from "./verification-service.js";

/** Hold ids are made by newId("hold"): anything else cannot name a hold. */
export const HoldId = Type.String({ pattern: "^hold_[A-Za-z0-9_-]{1,64}$", description: "A hold id." });
export const HoldParams = Type.Object({ holdId: HoldId }, { additionalProperties: false });

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Note = Type.String({ minLength: 1, maxLength: 2000 });

const LoginSignal = Type.Object(
  {
    type: Type.Literal("login"),
    deviceId: Type.String({ minLength: 1, maxLength: 128, description: "The platform's device id." }),
    ip: Type.String({ pattern: "^[0-9A-Fa-f:.]{2,45}$", description: "IPv4 or IPv6 address." }),
    country: Type.Optional(
      Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2, e.g. CN." }),
    ),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
const PurchaseSignal = Type.Object(
  {
    type: Type.Literal("purchase"),
    channel: Type.String({
      pattern: "^[a-z0-9_]{1,32}(:[A-Za-z0-9_.-]{1,64})?$",
      description: "official_app, official_web, partner:<id>, or any other (unofficial) channel.",
    }),
  },
  { additionalProperties: false },
);
const SignalBody = Type.Union([LoginSignal, PurchaseSignal]);

const PlaceBody = Type.Object(
  {
    reason: literals(HOLD_REASONS),
    benefits: Type.Optional(
      Type.Array(Code, { minItems: 1, maxItems: 100, description: "The benefits it covers; absent: all." }),
    ),
    note: Type.Optional(Note),
    clearMethod: Type.Optional(literals(CLEAR_METHODS)),
  },
  { additionalProperties: false },
);
const ClearBody = Type.Object({ note: Note }, { additionalProperties: false });
const VerifyBody = Type.Object(
  { code: Type.String({ pattern: "^[0-9]{6}$", description: "The 6-digit code the member received." }) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    status: Type.Optional(literals(["open", "cleared"])),
    memberId: Type.Optional(MemberId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: "^[A-Za-z0-9_-]+$" })),
  },
  { additionalProperties: false },
);

const tags = ["holds"];
const AGENTS = ["admin", "support"] as const;

/** The services these routes use. */
export interface HoldRouteDeps {
  holds: HoldService;
  signals: SignalService;
  verifications: VerificationService;
}

/** Risk signals, risk rules, holds for agents, and identity verification for members. */
export function registerHoldRoutes(server: Server, { holds, signals, verifications }: HoldRouteDeps): void {
  server.addSchema(HoldSchema);
  server.post(
    "/v1/members/:memberId/signals",
    {
      config: { roles: ["service"] },
      schema: {
        tags,
        summary: "Report a risk signal (login or purchase); answers the holds it placed",
        params: MemberParams,
        body: SignalBody,
        response: { 201: RecordedSignal, ...errors(400, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await signals.record(request.params.memberId, request.body)),
  );
  server.get(
    "/v1/risk-rules",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "The risk rules that turn signals into holds",
        response: { 200: RiskRulesSchema },
      },
    },
    async () => signals.rules(),
  );
  server.put(
    "/v1/risk-rules",
    {
      config: { roles: ["admin"] },
      schema: {
        tags,
        summary: "Replace the risk rules (every problem listed at once)",
        body: RiskRulesSchema,
        response: { 200: RiskRulesSchema, ...errors(400) },
      },
    },
    async (request) => signals.putRules(request.body),
  );
  server.post(
    "/v1/members/:memberId/holds",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Place a hold on a member (all benefits, or the listed ones)",
        params: MemberParams,
        body: PlaceBody,
        response: { 201: Type.Ref("Hold"), ...errors(400, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await holds.place(request.params.memberId, request.body, actorOf(request.principal))),
  );
  server.get(
    "/v1/holds",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Holds, newest first, by status and member",
        querystring: ListQuery,
        response: { 200: HoldPage, ...errors(400) },
      },
    },
    async (request) => holds.list(request.query),
  );
  server.get(
    "/v1/holds/:holdId",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "A hold with its audit trail",
        params: HoldParams,
        response: { 200: HoldWithEvents, ...errors(404) },
      },
    },
    async (request) => holds.get(request.params.holdId),
  );
  server.post(
    "/v1/holds/:holdId/clear",
    {
      config: { roles: AGENTS },
      schema: {
        tags,
        summary: "Clear a hold by an agent's decision",
        params: HoldParams,
        body: ClearBody,
        response: { 200: ClearedHold, ...errors(400, 404, 409) },
      },
    },
    async (request) => holds.clear(request.params.holdId, request.body.note, actorOf(request.principal)),
  );
  registerMyHoldRoutes(server, { holds, verifications });
}

function registerMyHoldRoutes(
  server: Server,
  { holds, verifications }: Pick<HoldRouteDeps, "holds" | "verifications">,
): void {
  server.get(
    "/v1/me/holds",
    {
      config: { roles: ["member"] },
      schema: { tags: ["me"], summary: "My holds, newest first", response: { 200: MemberHoldsSchema } },
    },
    async (request) => holds.mine(memberOf(request.principal)),
  );
  server.post(
    "/v1/me/holds/:holdId/verification",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Send me a one-time code to verify my identity and clear the hold",
        description:
          "202: the code goes out through the platform (SMS, e-mail). 429 RATE_LIMITED within a minute " +
          "of the last code, VERIFICATION_LOCKED after too many wrong codes.",
        params: HoldParams,
        response: { 202: CodeSent, ...errors(404, 409, 429) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await verifications.requestCode(memberOf(request.principal), request.params.holdId)),
  );
  server.post(
    "/v1/me/holds/:holdId/verify",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Check the one-time code; the right one clears the hold",
        description:
          "422 VERIFICATION_FAILED (wrong code, details.attemptsLeft) or VERIFICATION_EXPIRED; 429 " +
          "VERIFICATION_LOCKED after 5 wrong codes in a row (even the right code, until details.lockedUntil).",
        params: HoldParams,
        body: VerifyBody,
        response: { 200: VerifiedHold, ...errors(400, 404, 409, 422, 429) },
      },
    },
    async (request) =>
      verifications.verify(memberOf(request.principal), request.params.holdId, request.body.code),
  );
}
