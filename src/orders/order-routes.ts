import { Type } from "@sinclair/typebox";
import { AppError } from "../errors.js";
import { Code, errors, MemberId } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import { OrderSchema } from "../members/member-detail-schema.js";
import type { OrderService } from "./order-service.js";

const OrderBody = Type.Object(
  {
    memberId: MemberId,
    plan: Code,
    channel: Type.Optional(
      Type.String({
        pattern: "^[a-z0-9_]{1,32}(:[A-Za-z0-9_.-]{1,64})?$",
        description: "official_app, official_web (default), partner:<id>, or any other (unofficial) channel",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The services these routes use. */
export interface OrderRouteDeps {
  orders: OrderService;
}

export function registerOrderRoutes(server: Server, { orders }: OrderRouteDeps): void {
  server.post(
    "/v1/orders",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["orders"],
        summary: "Create an order for a plan; it awaits a payment event",
        body: OrderBody,
        response: { 201: OrderSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await orders.create(request.body)),
  );

  server.get(
    "/v1/orders/:orderId",
    {
      config: { roles: ["service", "support"] },
      schema: {
        tags: ["orders"],
        summary: "One order: its status, amount, and what has been refunded",
        params: Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: OrderSchema, ...errors(404) },
      },
    },
    async (request) => {
      const order = await orders.get(request.params.orderId);
      if (order === null)
        throw new AppError("ORDER_NOT_FOUND", `Order ${request.params.orderId} does not exist.`);
      return order;
    },
  );
}
