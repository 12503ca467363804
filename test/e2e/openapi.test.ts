import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

describe("OpenAPI", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(TEST_ENGINES[0]);
  });
  afterAll(() => s.stop());

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await s.request("GET", "/openapi.json", { auth: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const paths = Object.keys(res.body.paths);
    for (const path of [
      "/v1/catalog",
      "/v1/catalog/versions/{n}/diff",
      "/v1/members/{memberId}",
      "/v1/orders",
      "/v1/payments/events",
      "/v1/check",
      "/v1/check/batch",
      "/v1/members/{memberId}/entitlements",
      "/v1/me/entitlements",
      "/v1/me/benefits/{benefit}/claim",
      "/v1/members/{memberId}/benefits/{benefit}/usage",
      "/v1/api-keys",
    ]) {
      expect(paths).toContain(path);
    }
    const check = res.body.paths["/v1/check"].post;
    expect(check.requestBody.content["application/json"].schema.properties).toHaveProperty("memberId");
    expect(check.responses).toHaveProperty("200");
  });

  it("types every answer: each operation declares a success response with a schema", async () => {
    const document = (await s.request("GET", "/openapi.json", { auth: null })).body;
    const untyped: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const success = Object.entries<any>(operation.responses).filter(([status]) => status.startsWith("2"));
        // A 204 has no body to type; every other success names its content.
        const typed = success.length > 0 && success.every(([status, r]) => status === "204" || r.content);
        if (!typed) untyped.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(untyped).toEqual([]);
  });

  it("serves interactive docs at /docs", async () => {
    const res = await fetch(`${s.baseUrl}/docs/`, { redirect: "follow" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger");
  });

  it("answers oversized headers with 431 and the error shape", async () => {
    const { port } = new URL(s.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(40_000)}\r\n\r\n`);
      });
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk;
      });
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(raw.slice(raw.indexOf("{"))).error.code).toBe("HEADERS_TOO_LARGE");
  });

  it("answers /healthz and unknown routes with the error shape", async () => {
    expect((await s.request("GET", "/healthz", { auth: null })).body).toEqual({ status: "ok" });
    const missing = await s.request("GET", "/v1/nope", { auth: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "NOT_FOUND", details: [] });
  });
});
