import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDecimalAmount, MAX_MINOR_UNITS, parseDecimalAmount } from "./money.js";

describe("parseDecimalAmount: a provider's decimal string as minor units, without floating point", () => {
  it("reads yuan with up to two decimals as fen", () => {
    expect(parseDecimalAmount("19.90")).toBe(1990);
    expect(parseDecimalAmount("19.9")).toBe(1990);
    expect(parseDecimalAmount("19")).toBe(1900);
    expect(parseDecimalAmount("0.01")).toBe(1);
    expect(parseDecimalAmount("0")).toBe(0);
    expect(parseDecimalAmount("0.00")).toBe(0);
    expect(parseDecimalAmount("21474836.47")).toBe(MAX_MINOR_UNITS);
  });

  it("is exact where float arithmetic is not", () => {
    // 0.29 × 100 is 28.999999999999996 in doubles, and 1.15 × 100 is 114.99999999999999.
    expect(Math.floor(Number("0.29") * 100)).toBe(28);
    expect(parseDecimalAmount("0.29")).toBe(29);
    expect(parseDecimalAmount("1.15")).toBe(115);
  });

  it.each([
    ["19.901", "more decimals than the currency has"],
    ["-1", "a sign"],
    ["+1", "a sign"],
    ["1e3", "an exponent"],
    [" 1", "a space"],
    ["1 ", "a space"],
    ["", "nothing"],
    [".", "no digits"],
    ["19.", "an empty fraction"],
    [".5", "an empty whole part"],
    ["019.90", "a leading zero"],
    ["1,000.00", "a group separator"],
    ["19,90", "a decimal comma"],
    ["0x10", "hexadecimal"],
    ["Infinity", "not a number"],
    ["NaN", "not a number"],
    ["１９.９０", "full-width digits"],
    ["21474836.48", "more than the largest amount"],
    ["99999999999999999999", "far more than the largest amount"],
    ["1\n", "a line break"],
  ])("refuses %j (%s)", (text) => {
    expect(parseDecimalAmount(text)).toBeNull();
  });

  it("reads currencies without fractions, and with three", () => {
    expect(parseDecimalAmount("500", 0)).toBe(500);
    expect(parseDecimalAmount("500.0", 0)).toBeNull();
    expect(parseDecimalAmount("1.234", 3)).toBe(1234);
  });

  it("property: every amount formatted with two decimals parses back to itself", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MINOR_UNITS }), (minor) => {
        expect(parseDecimalAmount(formatDecimalAmount(minor))).toBe(minor);
      }),
    );
  });

  it("property: one decimal means tens of minor units, and trailing zeros change nothing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 21474835 }), fc.integer({ min: 0, max: 9 }), (whole, tenth) => {
        expect(parseDecimalAmount(`${whole}.${tenth}`)).toBe(whole * 100 + tenth * 10);
        expect(parseDecimalAmount(`${whole}.${tenth}0`)).toBe(whole * 100 + tenth * 10);
      }),
    );
  });

  it("property: any string is either refused or a canonical amount in range", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[-+ 0-9.eE]{0,14}$/)), (text) => {
        const minor = parseDecimalAmount(text);
        if (minor === null) return;
        expect(Number.isInteger(minor)).toBe(true);
        expect(minor).toBeGreaterThanOrEqual(0);
        expect(minor).toBeLessThanOrEqual(MAX_MINOR_UNITS);
        // Accepted text is the canonical form, or the canonical form with fraction digits left off.
        expect(formatDecimalAmount(minor).startsWith(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("formatDecimalAmount", () => {
  it("writes minor units as a decimal string", () => {
    expect(formatDecimalAmount(1990)).toBe("19.90");
    expect(formatDecimalAmount(5)).toBe("0.05");
    expect(formatDecimalAmount(0)).toBe("0.00");
    expect(formatDecimalAmount(500, 0)).toBe("500");
    expect(() => formatDecimalAmount(-1)).toThrow(RangeError);
    expect(() => formatDecimalAmount(1.5)).toThrow(RangeError);
  });
});
