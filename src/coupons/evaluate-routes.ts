import { Type } from "@sinclair/typebox";
import { readerLocale } from "../http/accept-language.js";
import { memberOf } from "../http/auth-hook.js";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { CheckoutService } from "./checkout-service.js";
import {
  CheckoutEvaluationSchema,
  CouponEvaluationSchema,
  EvaluateBody,
  MyEvaluateBody,
} from "./evaluation-schemas.js";

const description =
  "Member prices per line (from discount benefits, with the reason each one that did not apply gave), " +
  "every coupon the member holds (and every selected id) with all the reasons that block it, and the " +
  "best combination under the stacking rules. Ids that are not the member's answer NOT_FOUND, the " +
  "same as ids that do not exist.";

/** The services these routes use. */
export interface EvaluateRouteDeps {
  checkout: CheckoutService;
}

/** Checkout evaluation for the platform's checkout (service key) and for the member's own sample carts. */
export function registerEvaluateRoutes(server: Server, { checkout }: EvaluateRouteDeps): void {
  server.addSchema(CouponEvaluationSchema);
  server.addSchema(CheckoutEvaluationSchema);
  const response = { 200: Type.Ref("CheckoutEvaluation"), ...errors(400, 404) };
  server.post(
    "/v1/checkout/evaluate",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["checkout"],
        summary: "Price a cart for a member",
        description,
        body: EvaluateBody,
        response,
      },
    },
    async (request) => {
      const { memberId, ...rest } = request.body;
      return checkout.evaluate(memberId, rest, readerLocale(request));
    },
  );
  server.post(
    "/v1/me/checkout/evaluate",
    {
      config: { roles: ["member"] },
      schema: {
        tags: ["me"],
        summary: "Which of my coupons work on this cart, and why not",
        description,
        body: MyEvaluateBody,
        response,
      },
    },
    async (request) => checkout.evaluate(memberOf(request.principal), request.body, readerLocale(request)),
  );
}
