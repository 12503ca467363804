/**
 * The API's answers as the browser receives them, from the types generated from the server's
 * OpenAPI document (`npm run sdk:types`): the routes' schemas are the one source, and the web bundle
 * imports no server code (type imports are erased).
 */
import type { paths } from "../../../src/sdk/openapi-types";

/** The JSON body of a route's 200 answer. */
export type Answer<
  Path extends keyof paths,
  Method extends "get" | "post" | "put",
> = paths[Path][Method] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;

/** The JSON body a route takes. */
export type RequestBody<Path extends keyof paths, Method extends "post" | "put"> =
  NonNullable<paths[Path][Method] extends { requestBody?: infer Body } ? Body : never> extends {
    content: { "application/json": infer Json };
  }
    ? Json
    : never;
