import { describe, expect, it } from "vitest";
import { LOCALES } from "./catalog/catalog-types.js";
import { ERROR_CODES } from "./error-codes.js";
import { ERROR_MESSAGES, errorMessage } from "./error-messages.js";
import { humanBytes } from "./http/error-handler.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const entries = Object.entries(ERROR_MESSAGES) as [string, Record<string, string>][];

describe("the error message catalogue", () => {
  it("has a message in every locale for every code of the closed list", () => {
    for (const code of ERROR_CODES) {
      for (const locale of LOCALES) {
        expect(ERROR_MESSAGES[code]?.[locale], `${code} ${locale}`).toMatch(/\S/);
      }
    }
  });

  it("a code's own message needs no value but {count}, so it fits every throw of the code", () => {
    for (const code of ERROR_CODES) {
      for (const locale of LOCALES) {
        expect(
          placeholders(ERROR_MESSAGES[code][locale]).filter((p) => p !== "count"),
          code,
        ).toEqual([]);
      }
    }
  });

  it("variants belong to a code of the closed list, and both languages use the same placeholders", () => {
    for (const [key, messages] of entries) {
      expect(ERROR_CODES, key).toContain(key.split(".")[0]);
      expect(Object.keys(messages).sort(), key).toEqual([...LOCALES].sort());
      expect(placeholders(messages["zh-CN"]), key).toEqual(placeholders(messages.en));
      expect(messages["zh-CN"], key).not.toBe(messages.en);
    }
  });

  it("fills placeholders, and falls back to the code's message when a variant lacks a value", () => {
    expect(errorMessage("MEMBER_NOT_FOUND", "zh-CN", { variant: "id", params: { memberId: "m1" } })).toBe(
      "会员 m1 不存在。",
    );
    expect(errorMessage("MEMBER_NOT_FOUND", "en", { variant: "id" })).toBe("The member does not exist.");
    expect(errorMessage("VALIDATION_FAILED", "en", { detailCount: 2 })).toBe(
      "The request has 2 problem(s); see details.",
    );
  });

  it("states byte limits in words", () => {
    expect(humanBytes(1024 * 1024)).toBe("1 MiB");
    expect(humanBytes(64 * 1024)).toBe("64 KiB");
    expect(humanBytes(1536)).toBe("1.5 KiB");
    expect(humanBytes(1000)).toBe("1000 bytes");
  });
});
