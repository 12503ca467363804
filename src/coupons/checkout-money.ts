/**
 * The money arithmetic of checkout, in integer minor units (fen, cents) only — no floats reach a total.
 *
 * Where it rounds, and which way (every rounding favours the shop by less than one minor unit):
 * - A percentage of an amount (`percentOff` of a unit price, of a coupon's eligible subtotal) is
 *   floored: `floor(amount × percent / 100)`. The percent is read as the exact decimal it was written
 *   as (9.5 % is 95/1000, never 0.0949999…), so `floor` never loses a unit to binary fractions.
 * - A cap (`maxOff`) is applied after that floor; an amount off never exceeds what it is taken from
 *   (a unit price, a coupon's eligible subtotal). Nothing is ever negative.
 * - Member unit price = unit price − unit saving (exact); line total = member unit price × quantity.
 * - A coupon's saving is spread over its eligible lines in proportion to their line totals by the
 *   largest-remainder method: each line first gets `floor(saving × lineTotal / eligibleSubtotal)`,
 *   then the units left over go one each to the lines with the largest remainders (ties: the lower
 *   line index). The shares add up to the saving exactly and no share exceeds its line total.
 * - The value of a set of coupons is Σ over lines of min(line total, Σ shares on that line): stacked
 *   coupons never take a line below zero, and what one line cannot absorb is not moved elsewhere.
 * Products above 2^53 (never for carts validateCart admits, but the functions do not rely on it) are
 * computed with BigInt, so every result is exact.
 */
import type { CompiledCoupon } from "../catalog/catalog-types.js";
import { sortSmall } from "./small-sort.js";

interface Fraction {
  numerator: number;
  denominator: number;
}

const percentFractions = new Map<number, Fraction>();

/** `percent / 100` as an exact fraction of integers, from the percent's shortest decimal form. */
function percentFraction(percent: number): Fraction {
  let fraction = percentFractions.get(percent);
  if (fraction === undefined) {
    const [mantissa, exponent] = percent.toExponential().split("e");
    const decimals = Math.max(0, (mantissa.split(".")[1]?.length ?? 0) - Number(exponent));
    // Catalog percents have a few decimals at most; beyond 9 the written value is rounded to 9.
    const digits = Math.min(decimals, 9);
    const scale = 10 ** digits;
    fraction = { numerator: Math.round(percent * scale), denominator: 100 * scale };
    percentFractions.set(percent, fraction);
  }
  return fraction;
}

/** floor(a × b / c) and its remainder, exact for non-negative integers a, b and positive c. */
export function mulDivFloor(a: number, b: number, c: number): { quotient: number; remainder: number } {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) {
    let quotient = Math.floor(product / c);
    // The float division may round up across an integer; one step back restores the floor.
    if (quotient * c > product) quotient--;
    return { quotient, remainder: product - quotient * c };
  }
  const big = BigInt(a) * BigInt(b);
  const bigC = BigInt(c);
  return { quotient: Number(big / bigC), remainder: Number(big % bigC) };
}

/** floor(amount × percent / 100), exact for any decimal percent. */
export function percentOf(amount: number, percent: number): number {
  const { numerator, denominator } = percentFraction(percent);
  return mulDivFloor(amount, numerator, denominator).quotient;
}

/** What a discount takes off `base`: a floored percent or an amount, capped, never above `base`. */
export function discountOff(
  base: number,
  percentOff: number | null,
  amountOff: number | null,
  maxOff: number | null,
): number {
  let off = percentOff !== null ? percentOf(base, percentOff) : (amountOff ?? 0);
  if (maxOff !== null && off > maxOff) off = maxOff;
  return off > base ? base : off;
}

/** A coupon's saving on its eligible subtotal (member prices), alone. */
export function couponSaving(coupon: CompiledCoupon, eligibleSubtotal: number): number {
  return discountOff(
    eligibleSubtotal,
    coupon.percentOff,
    coupon.amountOff?.amount ?? null,
    coupon.maxOff?.amount ?? null,
  );
}

/**
 * `saving` spread over `lines` in proportion to `totals[line]`, largest remainder first (ties: the
 * lower line index). Returns one share per entry of `lines`; the shares add up to `saving`, which
 * must not exceed the lines' sum.
 */
export function allocate(saving: number, lines: readonly number[], totals: readonly number[]): number[] {
  const shares = new Array<number>(lines.length).fill(0);
  let sum = 0;
  for (const line of lines) sum += totals[line];
  if (saving <= 0 || sum === 0) return shares;
  const remainders = new Array<number>(lines.length);
  let given = 0;
  for (let i = 0; i < lines.length; i++) {
    const total = totals[lines[i]];
    const product = saving * total;
    let quotient: number;
    if (product <= Number.MAX_SAFE_INTEGER) {
      // mulDivFloor's fast path, inlined: this runs for every line of every coupon.
      quotient = Math.floor(product / sum);
      if (quotient * sum > product) quotient--;
      remainders[i] = product - quotient * sum;
    } else {
      const exact = mulDivFloor(saving, total, sum);
      quotient = exact.quotient;
      remainders[i] = exact.remainder;
    }
    shares[i] = quotient;
    given += quotient;
  }
  let left = saving - given;
  if (left > 0) {
    // At most lines.length − 1 units are left: one each to the largest remainders.
    const order = lines.map((_, i) => i);
    sortSmall(order, (a, b) => remainders[b] - remainders[a] || lines[a] - lines[b]);
    for (let k = 0; left > 0; k++, left--) shares[order[k]]++;
  }
  return shares;
}
