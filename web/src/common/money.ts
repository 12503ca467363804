import type { Money } from "./types";

/** Minor units to the currency's own display (¥12.50, $3.00); the fraction digits come from Intl. */
export function formatMoney(money: Money, language: string): string {
  const format = new Intl.NumberFormat(language, { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amount / 10 ** digits);
}

/** A price typed in major units ("12.5") as minor units (1250), or null when it is not a price. */
export function parseMajorUnits(text: string, digits = 2): number | null {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return null;
  return Math.round(Number(text) * 10 ** digits);
}
