import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are memory-hungry WASM; two workers match the 2-core machines.
    maxWorkers: 2,
    // codemirror-json-schema's ES build imports without file extensions (fine for Vite, not for
    // Node): processed by Vite, so test/web can test the editor's pointer placement.
    server: { deps: { inline: ["codemirror-json-schema"] } },
    // CI also writes a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-artifacts/vitest-report.json" },
  },
});
