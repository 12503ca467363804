import { Type } from "@sinclair/typebox";
import type { App } from "../app.js";
import { Code, errors, MemberId } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";

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

export function registerOrderRoutes(server: Server, app: App): void {
  server.post(
    "/v1/orders",
    {
      config: { roles: ["service"] },
      schema: {
        tags: ["orders"],
        summary: "Create an order for a plan; it awaits a payment event",
        body: OrderBody,
        response: errors(400, 404),
      },
    },
    async (request, reply) => reply.status(201).send(await app.orders.create(request.body)),
  );
}
