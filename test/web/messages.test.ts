import { describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/messages-en.js";
import { zhCN } from "../../web/src/i18n/messages-zh-CN.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The UI's message catalogues: a key missing from either language fails here, before any browser runs. */
describe("web message catalogues", () => {
  it("have the same keys in English and Chinese", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("fill the same placeholders in both languages, with no empty message", () => {
    const english = en as Record<string, string>;
    for (const [key, text] of Object.entries(zhCN)) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(english[key]));
    }
  });

  it("use every key the code asks for", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".tsx") ? [join(dir, e.name)] : [],
      );
    const asked = new Set<string>();
    for (const file of files("web/src")) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([\w.]+)"/g)) asked.add(m[1]);
    }
    expect(asked.size).toBeGreaterThan(100);
    expect([...asked].filter((key) => !(key in en))).toEqual([]);
  });
});
