import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appOpenApiDocument, openApiTypes, TYPES_FILE } from "./generate-types.js";

describe("src/sdk/openapi-types.ts", () => {
  it("is what `npm run sdk:types` generates from the server's OpenAPI document now", async () => {
    const committed = readFileSync(TYPES_FILE, "utf8");
    const current = await openApiTypes(await appOpenApiDocument());
    // On a mismatch: run `npm run sdk:types` and commit the result.
    expect(committed === current, "src/sdk/openapi-types.ts is out of date: run npm run sdk:types").toBe(
      true,
    );
  }, 60_000);
});
