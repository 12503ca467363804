import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import Fastify from "fastify";
import { afterAll, describe, expect, it } from "vitest";

/**
 * package.json `overrides` pins two transitive packages one major below what their parents ask for,
 * because the newer majors declare Node >= 22 while we support Node >= 20.19 (issue 12, item 9):
 * `content-disposition@2` under @fastify/static and `cookie@1` under light-my-request (fastify's
 * `inject`). Both older majors export the functions the parents call. These tests exercise exactly
 * those calls, so a parent upgrade that starts using an API only the newer major has fails here
 * rather than in production.
 */
describe("overridden transitive dependencies still fit their parents", () => {
  const root = mkdtempSync(join(tmpdir(), "perkwise-overrides-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("@fastify/static's download() builds Content-Disposition with content-disposition@2", async () => {
    writeFileSync(join(root, "report 2026 é.txt"), "hello");
    const app = Fastify();
    await app.register(fastifyStatic, { root, serve: false });
    app.get("/file", (_request, reply) => reply.download("report 2026 é.txt"));
    const res = await app.inject({ method: "GET", url: "/file" });
    await app.close();
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("hello");
    expect(res.headers["content-disposition"]).toBe(
      `attachment; filename="report 2026 ?.txt"; filename*=UTF-8''report%202026%20%C3%A9.txt`,
    );
  });

  it("inject({ cookies }) builds the Cookie header with cookie@1", async () => {
    const app = Fastify();
    app.get("/echo", (request) => ({ cookie: request.headers.cookie ?? null }));
    const res = await app.inject({ method: "GET", url: "/echo", cookies: { session: "a b", lang: "zh-CN" } });
    await app.close();
    expect(res.json()).toEqual({ cookie: "session=a%20b; lang=zh-CN" });
  });
});
