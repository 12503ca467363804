/**
 * Hostile path parameters on every route that has them: always a 4xx with a code from the closed
 * list in the documented shape, never a 5xx, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected, expectSafe } from "./support/error-responses.js";
import { PATH_PARAMS } from "./support/hostile-strings.js";
import { MalformedInputServer } from "./support/malformed-input-server.js";
import { PARAM_ROUTES } from "./support/malformed-routes.js";

describe.each(TEST_ENGINES)("malformed input: path parameters ($name)", (engine) => {
  const s = new MalformedInputServer();
  beforeAll(() => s.start(engine));
  afterAll(() => s.stop());

  it.each(PARAM_ROUTES)("$method $name: hostile ids are a 4xx, nothing written", async (route) => {
    await s.writesNothing(async () => {
      for (const p of PATH_PARAMS) {
        const path = route.path(p);
        const res = await s.request(route.method, path, { body: route.body, auth: s.authForPath(path) });
        expectSafe(res, p.slice(0, 60));
        expect(res.status, p.slice(0, 60)).toBeGreaterThanOrEqual(400);
      }
    });
  });

  it("a request line past the header limit is a documented 431", async () => {
    const res = await s.request("GET", `/v1/members/${"x".repeat(20_000)}`);
    expectRejected(res, ["HEADERS_TOO_LARGE"]);
  });

  it("the longest valid member id (128 characters) works, the next one is refused", async () => {
    const longest = `m${"x".repeat(127)}`;
    expect((await s.request("PUT", `/v1/members/${longest}`, { body: {} })).status).toBe(201);
    expect((await s.request("GET", `/v1/members/${longest}`)).status).toBe(200);
    const encoded = encodeURIComponent(`m${"会".repeat(127)}`);
    expectRejected(await s.request("GET", `/v1/members/${encoded}`), ["VALIDATION_FAILED"]);
    expectRejected(await s.request("GET", `/v1/members/${longest}x`), ["VALIDATION_FAILED"]);
  });

  it("catalog version numbers: only positive integers in range", async () => {
    for (const n of ["abc", "-1", "0", "1.5", "1e3", "0x10", "%201", "2147483648", "99999999999999999999"]) {
      expectRejected(await s.request("GET", `/v1/catalog/versions/${n}`), ["VALIDATION_FAILED"], n);
    }
    expectRejected(await s.request("GET", "/v1/catalog/versions/999"), ["CATALOG_VERSION_NOT_FOUND"]);
    expect((await s.request("GET", "/v1/catalog/versions/1")).status).toBe(200);
    expect((await s.request("GET", "/v1/catalog/versions/1/diff")).status).toBe(200);
  });
});
