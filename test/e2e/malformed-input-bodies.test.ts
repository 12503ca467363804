/**
 * Broken framing on every route that takes a body: bad JSON, wrong content types, oversized bodies.
 * Always a 4xx with a code from the closed list in the documented shape, never a 5xx, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";
import { MalformedInputServer } from "./support/malformed-input-server.js";
import { BODY_ENDPOINTS, ENDPOINTS_WITH_BODY } from "./support/malformed-routes.js";

describe.each(TEST_ENGINES)("malformed input: bodies ($name)", (engine) => {
  const s = new MalformedInputServer();
  beforeAll(() => s.start(engine));
  afterAll(() => s.stop());

  describe.each(BODY_ENDPOINTS)("$method $path ($name)", (e) => {
    it("malformed JSON and prototype poisoning: 400, nothing written", async () => {
      await s.writesNothing(async () => {
        for (const raw of [
          '{"a":',
          "{'a': 1}",
          "{} x",
          "[1,]",
          "\u0000",
          '{"a":1,"a":}',
          '{"__proto__": {"polluted": true}}',
          '{"constructor": {"prototype": {"polluted": true}}}',
        ]) {
          expectRejected(await s.send(e, raw), ["MALFORMED_BODY", "VALIDATION_FAILED"], raw);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });

    it("wrong content types: 415, nothing written", async () => {
      await s.writesNothing(async () => {
        const body = JSON.stringify(e.valid?.() ?? {});
        for (const type of [
          "text/plain",
          "application/xml",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "image/png",
          "application/jsonx",
        ]) {
          expectRejected(await s.send(e, body, { "content-type": type }), ["UNSUPPORTED_MEDIA_TYPE"], type);
        }
        // No content type at all (fetch adds none to a byte body).
        const res = await fetch(`${s.server.baseUrl}${e.path}`, {
          method: e.method,
          headers: { authorization: `Bearer ${s.authOf(e)}` },
          body: Buffer.from(body),
        });
        expectRejected(
          { status: res.status, body: await res.json(), headers: res.headers },
          ["UNSUPPORTED_MEDIA_TYPE"],
          "none",
        );
      });
    });

    it("bodies over 1 MiB: 413 PAYLOAD_TOO_LARGE, nothing written", async () => {
      await s.writesNothing(async () => {
        const big = JSON.stringify({ ...(e.valid?.() ?? {}), padding: "x".repeat(1024 * 1024) });
        expectRejected(await s.send(e, big), ["PAYLOAD_TOO_LARGE"], "sized");
        expectRejected(
          await s.send(e, big, { "content-type": "application/yaml" }),
          ["PAYLOAD_TOO_LARGE"],
          "yaml",
        );
        // Streamed without a Content-Length: the limit holds all the same.
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const stream = new ReadableStream({
          start(controller) {
            for (let i = 0; i < 20; i++) controller.enqueue(chunk);
            controller.close();
          },
        });
        const res = await fetch(`${s.server.baseUrl}${e.path}`, {
          method: e.method,
          headers: { authorization: `Bearer ${s.authOf(e)}`, "content-type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit);
        expectRejected(
          { status: res.status, body: await res.json(), headers: res.headers },
          ["PAYLOAD_TOO_LARGE"],
          "chunked",
        );
        // Authentication comes before the body is read.
        const anonymous = await s.request(e.method, e.path, { raw: big, auth: null });
        expectRejected(anonymous, ["UNAUTHENTICATED"], "anonymous");
      });
    });
  });

  describe.each(ENDPOINTS_WITH_BODY)("$method $path ($name)", (e) => {
    it("JSON that is not an object, and an empty JSON body: 400, nothing written", async () => {
      await s.writesNothing(async () => {
        for (const raw of ["[]", '"text"', "42", "null", "true", "[{}]"]) {
          expectRejected(await s.send(e, raw), ["VALIDATION_FAILED", "MALFORMED_BODY"], raw);
        }
        expectRejected(
          await s.send(e, "", { "content-type": "application/json" }),
          ["MALFORMED_BODY"],
          "empty",
        );
      });
    });
  });
});
