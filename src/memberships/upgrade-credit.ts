/**
 * The credit an upgrade carries over, as plain arithmetic on integers (money in minor units, time in
 * milliseconds), so it can be stated exactly:
 *
 *   credit (minor units) = Σ over the old membership's paid orders in the new plan's currency of
 *                          floor(amount × unused / length)
 *     where length = the order's paid period (periodEnd − periodStart, calendar-exact in the member's
 *     time zone, so a month is 28–31 days and a year 365 or 366), and unused = the part of it after
 *     the upgrade (all of it for a period that has not started yet; none for one that has passed);
 *   extra time (ms)      = floor(credit × newPeriod / newPrice)
 *     where newPeriod = the new plan's period starting at the upgrade, calendar-exact as well.
 *
 * So the member keeps the value they paid for and did not use, priced at the new tier's rate.
 * Orders in another currency and free plans carry no credit.
 */

export interface PaidPeriod {
  amount: number;
  currency: string;
  start: number;
  end: number;
}

/** The unused value of paid periods at `at`, in minor units of `currency`. */
export function unusedValue(periods: readonly PaidPeriod[], currency: string, at: number): number {
  let total = 0n;
  for (const p of periods) {
    if (p.currency !== currency) continue;
    const length = p.end - p.start;
    if (length <= 0) continue;
    const unused = Math.min(length, Math.max(0, p.end - Math.max(at, p.start)));
    // BigInt: amount × milliseconds passes 2^53 for a yearly plan.
    total += (BigInt(p.amount) * BigInt(unused)) / BigInt(length);
  }
  return Number(total);
}

/** The time a credit buys on a plan of `price` per `periodMs`. */
export function creditTime(credit: number, price: number, periodMs: number): number {
  if (credit <= 0 || price <= 0 || periodMs <= 0) return 0;
  return Number((BigInt(credit) * BigInt(periodMs)) / BigInt(price));
}
