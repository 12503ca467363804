import { Type } from "@sinclair/typebox";
import { describe, expect, it, vi } from "vitest";
import { createResponseCheck } from "./response-check.js";

describe("the tests' response check", () => {
  const Shared = Type.Object({ id: Type.String() }, { $id: "Shared" });
  const route = (schema: unknown) => ({ method: "GET", url: "/x", httpStatus: "200", schema });

  it("passes an answer that fits its schema, $refs and dates as sent included", () => {
    const check = createResponseCheck()(
      route(Type.Object({ shared: Type.Ref("Shared"), at: Type.String({ format: "date-time" }) })),
      { Shared },
    );
    expect(() => check({ shared: { id: "a" }, at: new Date(0) })).not.toThrow();
  });

  it("fails an answer that does not, naming the route and the mismatch", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const check = createResponseCheck()(route(Type.Object({ shared: Type.Ref("Shared") })), { Shared });
    expect(() => check({ shared: { id: 1 } })).toThrow(
      "response schema mismatch: GET /x 200: data/shared/id must be string",
    );
    expect(() => check({})).toThrow("must have required property 'shared'");
  });
});
