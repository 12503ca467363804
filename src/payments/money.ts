/** An amount of money in minor units (fen, cents) with its ISO-4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** The largest amount a payment may carry: the `integer` column it is stored in. */
export const MAX_MINOR_UNITS = 2_147_483_647;

/**
 * Reads a provider's decimal amount in major units ("19.90" yuan) as minor units (1990 fen), by its
 * digits alone: no floating point, so no amount is ever off by one unit. `fractionDigits` is the
 * currency's exponent (2 for CNY). Accepts digits, optionally a point and at most `fractionDigits`
 * digits after it ("19", "19.9", "19.90"); refuses signs, exponents, spaces, empty parts ("19.",
 * ".5"), leading zeros ("019") and anything above MAX_MINOR_UNITS, with null.
 */
export function parseDecimalAmount(text: string, fractionDigits = 2): number | null {
  const match = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(text);
  if (!match) return null;
  const [, whole, fraction = ""] = match;
  if (fraction.length > fractionDigits) return null;
  // Longer than the largest amount's digits: refused before Number() could round it.
  if (whole.length > String(MAX_MINOR_UNITS).length) return null;
  const minor = Number(whole + fraction.padEnd(fractionDigits, "0"));
  return minor <= MAX_MINOR_UNITS ? minor : null;
}

/** "19.90" for 1990 with 2 fraction digits: the inverse of parseDecimalAmount, for providers' formats. */
export function formatDecimalAmount(minor: number, fractionDigits = 2): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
  if (fractionDigits === 0) return String(minor);
  const digits = String(minor).padStart(fractionDigits + 1, "0");
  return `${digits.slice(0, -fractionDigits)}.${digits.slice(-fractionDigits)}`;
}

/**
 * Currencies whose Stripe amount is not in ISO-4217 minor units: Stripe moved ISK to zero decimals
 * but, for backwards compatibility, still writes it with two (5 ISK is `500`, the last two digits
 * always 00). Every other currency — two-decimal ones, the zero-decimal ones (jpy, krw, vnd, clp, ugx
 * …) and the three-decimal ones (bhd, kwd …) — is already in its ISO minor units.
 */
const STRIPE_UNITS_PER_MINOR: Record<string, number> = { ISK: 100 };

/**
 * Stripe's integer amount and lower-case currency (`1500`, `"jpy"`) as money in ISO minor units
 * (`{amount: 1500, currency: "JPY"}`); null when Stripe could not have written it (not an integer,
 * negative, above MAX_MINOR_UNITS, an ISK amount with a fraction, a currency that is not 3 letters).
 */
export function moneyFromStripe(amount: unknown, currency: unknown): Money | null {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) return null;
  if (typeof currency !== "string" || !/^[a-z]{3}$/.test(currency)) return null;
  const code = currency.toUpperCase();
  const per = STRIPE_UNITS_PER_MINOR[code] ?? 1;
  if (amount % per !== 0 || amount / per > MAX_MINOR_UNITS) return null;
  return { amount: amount / per, currency: code };
}

/** Money as Stripe writes it: the inverse of moneyFromStripe (for the query API and test notifications). */
export function moneyToStripe(money: Money): { amount: number; currency: string } {
  return {
    amount: money.amount * (STRIPE_UNITS_PER_MINOR[money.currency] ?? 1),
    currency: money.currency.toLowerCase(),
  };
}
