/**
 * The server's type and Fastify's type augmentation, in a module of their own: route modules import
 * them from here, so none of them imports the module that registers them all (no import cycle).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { Principal } from "../auth/auth-service.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; absent = public. */
    roles?: readonly ("admin" | "service" | "support" | "member")[];
    /** A bearer token accepted besides those roles (read per request; undefined: none). */
    acceptsToken?: () => string | undefined;
  }
}

export type Server = FastifyInstance<
  import("node:http").Server,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  import("fastify").FastifyBaseLogger,
  TypeBoxTypeProvider
>;
