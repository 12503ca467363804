import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { sendOutcome } from "../http/outcome-status.js";
import { errors, MemberParams } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import {
  ClaimedCoupon,
  CouponList,
  CouponParams,
  MemberCouponParams,
  OrderRefBody,
  RedeemBody,
  redeemResponses,
  redemptionResponses,
} from "./coupon-schemas.js";
import type { CouponService } from "./coupon-service.js";
import type { RedemptionService } from "./redemption-service.js";

const claimDescription =
  "Idempotent: a coupon claimed already answers 200 with alreadyClaimed. A coupon that is not the " +
  "member's gets exactly the answer of one that does not exist (404 COUPON_NOT_FOUND); one whose " +
  "claim deadline passed is 409 COUPON_NOT_CLAIMABLE.";

/** The services these routes use. */
export interface CouponRouteDeps {
  coupons: CouponService;
  redemptions: RedemptionService;
}

/** Members' coupons (list, claim) and checkout redemption (redeem, complete, release). */
export function registerCouponRoutes(server: Server, { coupons, redemptions }: CouponRouteDeps): void {
  server.get(
    "/v1/me/coupons",
    {
      config: { roles: ["member"] },
      schema: { tags: ["me"], summary: "My coupons and their states", response: { 200: CouponList } },
    },
    async (request) => coupons.list(memberOf(request.principal), readerLocale(request)),
  );
  server.get(
    "/v1/members/:memberId/coupons",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags: ["members"],
        summary: "A member's coupons and their states",
        params: MemberParams,
        response: { 200: CouponList, ...errors(400, 404) },
      },
    },
    async (request) => coupons.list(request.params.memberId, readerLocale(request)),
  );
  server.post(
    "/v1/me/coupons/:couponId/claim",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Claim one of my coupons",
        description: claimDescription,
        params: CouponParams,
        response: { 200: ClaimedCoupon, ...errors(400, 404, 409) },
      },
    },
    async (request) =>
      coupons.claim(memberOf(request.principal), request.params.couponId, "member", readerLocale(request)),
  );
  server.post(
    "/v1/members/:memberId/coupons/:couponId/claim",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["members"],
        summary: "Claim a coupon for a member",
        description: claimDescription,
        params: MemberCouponParams,
        response: { 200: ClaimedCoupon, ...errors(400, 404, 409) },
      },
    },
    async (request) =>
      coupons.claim(request.params.memberId, request.params.couponId, "service", readerLocale(request)),
  );
  server.post(
    "/v1/checkout/redeem",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["checkout"],
        summary: "Lock coupons to an order, all or nothing, idempotently by orderRef",
        description:
          "200 with the coupons now `locked` to the order, or 409 COUPON_NOT_REDEEMABLE whose details " +
          "list every requested coupon with every problem (`reasons`, coupon reason codes); nothing is " +
          "locked then. A repeat of the same request answers as the first time with `replayed: true`; " +
          "the same orderRef for another member or other coupons is 409 IDEMPOTENCY_CONFLICT. A coupon " +
          "that is not the member's is reported exactly as one that does not exist (NOT_FOUND).",
        body: RedeemBody,
        response: redeemResponses,
      },
    },
    async (request, reply) => {
      const answer = await redemptions.redeem(request.body, "service");
      return sendOutcome(reply, answer, (redeemed) => redeemed.redemption);
    },
  );
  server.post(
    "/v1/checkout/complete",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["checkout"],
        summary: "The order is paid: its locked coupons become used",
        description:
          "Idempotent. 404 REDEMPTION_NOT_FOUND for an unknown orderRef; 409 CONFLICT once released.",
        body: OrderRefBody,
        response: redemptionResponses,
      },
    },
    async (request) => redemptions.complete(request.body.orderRef, "service"),
  );
  server.post(
    "/v1/checkout/release",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["checkout"],
        summary: "The order was cancelled or refunded: its coupons return",
        description:
          "From locked or completed: the coupons are available again (or expired, if their window " +
          "passed) and no longer count against limits. Idempotent. 404 REDEMPTION_NOT_FOUND for an unknown orderRef.",
        body: OrderRefBody,
        response: redemptionResponses,
      },
    },
    async (request) => redemptions.release(request.body.orderRef, "service"),
  );
}
