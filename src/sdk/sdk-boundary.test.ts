import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** Every source file and package the module at `entry` reaches through its static and dynamic imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else
        packages.add(
          specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0],
        );
    }
  };
  visit(resolve(ROOT, entry));
  return { files: new Set([...files].map((f) => relative(ROOT, f))), packages };
}

describe("the perkwise/sdk boundary", () => {
  const { files, packages } = importGraph("src/sdk/index.ts");

  it("reaches only the SDK, the pure engine and the catalog compiler (and what they use)", () => {
    // The closed error list and its messages (pure data) come with the engine's denials.
    const allowed = [
      /^src\/sdk\//,
      /^src\/engine\//,
      /^src\/catalog\//,
      /^src\/time\//,
      /^src\/error(s|-codes|-messages)\.ts$/,
    ];
    expect([...files].filter((f) => !allowed.some((a) => a.test(f)))).toEqual([]);
    // Of the catalog folder, the compiler and its pure helpers — never its service, store or routes.
    expect([...files].filter((f) => /^src\/catalog\/.*-(service|store|routes)\.ts$/.test(f))).toEqual([]);
    expect(files).toContain("src/engine/decide.ts");
    expect(files).toContain("src/catalog/compile-catalog.ts");
    expect(files).not.toContain("src/sdk/generate-types.ts");
  });

  it("uses no server-side package", () => {
    const serverSide = [
      "fastify",
      "@fastify/swagger",
      "kysely",
      "pg",
      "@electric-sql/pglite",
      "pino",
      "lru-cache",
    ];
    expect([...packages].filter((p) => serverSide.includes(p))).toEqual([]);
    expect([...packages].sort()).toEqual(
      expect.arrayContaining(["@openfeature/server-sdk", "eventsource-parser", "openapi-fetch"]),
    );
  });
});
