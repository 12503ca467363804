import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, discountOff, mulDivFloor, percentOf } from "./checkout-money.js";

describe("percentOf: floor(amount × percent / 100), exact", () => {
  it("floors toward the shop", () => {
    expect(percentOf(1999, 5)).toBe(99); // 99.95
    expect(percentOf(300, 33.3)).toBe(99); // 99.9
    expect(percentOf(1, 99)).toBe(0);
    expect(percentOf(12345, 100)).toBe(12345);
  });

  it("reads a decimal percent as written, where float arithmetic would lose a unit", () => {
    // 10000 × 0.57 / 100 is 56.99999999999999 in doubles; 0.57 % of ¥100.00 is exactly 57 fen.
    expect(Math.floor((10000 * 0.57) / 100)).toBe(56);
    expect(percentOf(10000, 0.57)).toBe(57);
    expect(percentOf(1000, 9.5)).toBe(95);
    expect(percentOf(7, 0.001)).toBe(0);
    expect(percentOf(100_000, 0.001)).toBe(1);
  });

  it("stays exact past 2^53", () => {
    const big = 2 ** 52 + 1;
    expect(mulDivFloor(big, 3, 7)).toEqual({
      quotient: Number((BigInt(big) * 3n) / 7n),
      remainder: Number((BigInt(big) * 3n) % 7n),
    });
    expect(percentOf(1_000_000_000_000_000, 12.5)).toBe(125_000_000_000_000);
  });

  it("agrees with exact rational arithmetic for percents of up to three decimals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 15 }),
        fc.integer({ min: 1, max: 100_000 }),
        (amount, thousandths) => {
          const exact = (BigInt(amount) * BigInt(thousandths)) / 100_000n;
          expect(percentOf(amount, thousandths / 1000)).toBe(Number(exact));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("discountOff", () => {
  it("caps a percentage by maxOff, after the floor", () => {
    expect(discountOff(10000, 50, null, 1000)).toBe(1000);
    expect(discountOff(1999, 50, null, 1000)).toBe(999);
  });
  it("never takes more than the amount it is taken from: no negative price", () => {
    expect(discountOff(800, null, 1200, null)).toBe(800);
    expect(discountOff(800, 100, null, null)).toBe(800);
    expect(discountOff(0, null, 500, null)).toBe(0);
  });
});

describe("allocate: largest remainder", () => {
  it("gives the leftover units to the largest remainders, ties to the lower line index", () => {
    // 100 over three equal lines: 33.33 each, one unit left, to line 0.
    expect(allocate(100, [0, 1, 2], [10, 10, 10])).toEqual([34, 33, 33]);
    // remainders 0.5, 0.5: line 4 (lower) gets it even though listed second.
    expect(allocate(3, [7, 4], [100, 100, 100, 100, 100, 100, 100, 100])).toEqual([1, 2]);
    // proportional: 1000 over 3000 + 1000 → 750 + 250.
    expect(allocate(1000, [0, 1], [3000, 1000])).toEqual([750, 250]);
  });

  it("allocates nothing of a zero saving", () => {
    expect(allocate(0, [0, 1], [10, 10])).toEqual([0, 0]);
  });

  it("sums exactly to the saving and never gives a line more than its total", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (totals, fraction) => {
          const lines = totals.map((_, i) => i);
          const sum = totals.reduce((a, b) => a + b, 0);
          const saving = Math.floor(sum * fraction);
          const shares = allocate(saving, lines, totals);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(saving);
          shares.forEach((share, i) => {
            const floor = Number((BigInt(saving) * BigInt(totals[i])) / BigInt(sum));
            expect(share === floor || share === floor + 1).toBe(true);
            expect(share).toBeLessThanOrEqual(totals[i]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
