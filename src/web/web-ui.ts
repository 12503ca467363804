import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { Server } from "../http/server-types.js";

/** Where `npm run build:web` (Vite) writes the member centre and the console. */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Perkwise</title>
<body><h1>The web UI is not built</h1><p>Run <code>npm run build:web</code> and reload.</p></body></html>`;

/**
 * The single-page UI: `/` is the member centre, `/admin` the operator console (one bundle, the page
 * picks the screen from the path). Only `/`, `/admin`, `/admin/*` and `/assets/*` are claimed, so the
 * API, `/docs`, `/openapi.json`, `/healthz` and `/metrics` are never shadowed, and an unknown path
 * still gets the API's 404 shape.
 */
export async function registerWebUi(server: Server): Promise<void> {
  const built = existsSync(`${WEB_DIST}index.html`);
  if (built) {
    await server.register(fastifyStatic, {
      root: `${WEB_DIST}assets`,
      prefix: "/assets/",
      // Vite puts a content hash in every asset's name: cache them for good.
      immutable: true,
      maxAge: "365d",
    });
  }
  const page = async (_request: unknown, reply: import("fastify").FastifyReply) => {
    if (!built) return reply.type("text/html; charset=utf-8").send(NOT_BUILT);
    // The page itself must be revalidated, so a rebuilt UI is picked up on the next load.
    return reply.header("cache-control", "no-cache").sendFile("index.html", WEB_DIST);
  };
  for (const url of ["/", "/admin", "/admin/*"]) server.get(url, { schema: { hide: true } }, page);
}
