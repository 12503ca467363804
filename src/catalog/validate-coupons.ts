/** Coupon templates and the coupon_pack benefits that issue them: every problem, at its path. */
import { LIMITS } from "./catalog-schema.js";
import {
  type Add,
  checkScope,
  codeRe,
  DATE_TIME_RE,
  isObj,
  isPositiveDuration,
  isPositiveInteger,
  isRealDateTime,
  isStr,
  items,
  type Obj,
  q,
} from "./validation-kit.js";

/** The document's coupons (codes unique, each template sound) and every benefit's couponPack. */
export function checkCoupons(
  doc: Obj,
  tierCodes: ReadonlyMap<string, number>,
  benefits: unknown[],
  add: Add,
) {
  const couponCodes = new Map<string, number>();
  items(doc.coupons, LIMITS.coupons).forEach((c, i) => {
    if (!isObj(c)) return;
    if (isStr(c.code)) {
      const first = couponCodes.get(c.code);
      if (first === undefined) couponCodes.set(c.code, i);
      else
        add(
          `/coupons/${i}/code`,
          `duplicate coupon code ${q(c.code)} (also at /coupons/${first})`,
          "duplicate_code",
        );
    }
    checkCoupon(c, `/coupons/${i}`, tierCodes, add);
  });
  benefits.forEach((b, i) => {
    if (isObj(b) && isObj(b.couponPack))
      checkCouponPack(b.couponPack, `/benefits/${i}/couponPack`, couponCodes, add);
  });
}

function checkCouponPack(pack: Obj, at: string, coupons: ReadonlyMap<string, number>, add: Add): void {
  const seen = new Set<string>();
  items(pack.items, LIMITS.packItems).forEach((item, k) => {
    if (!isObj(item)) return;
    const { coupon, count } = item;
    if (isStr(coupon) && codeRe.test(coupon)) {
      // One item per template: two would be one item with the counts added, said less clearly.
      if (seen.has(coupon))
        add(`${at}/items/${k}/coupon`, `coupon ${q(coupon)} is listed twice`, "duplicate_coupon");
      else if (!coupons.has(coupon))
        add(`${at}/items/${k}/coupon`, `unknown coupon ${q(coupon)}`, "unknown_coupon");
      seen.add(coupon);
    }
    if (typeof count === "number" && !isPositiveInteger(count)) {
      add(`${at}/items/${k}/count`, "must be a whole number of at least 1", "invalid_value");
    }
  });
  if (isStr(pack.period) && !isPositiveDuration(pack.period)) {
    add(`${at}/period`, "must be an ISO-8601 duration longer than zero, e.g. P1M", "invalid_duration");
  }
}

function checkCoupon(c: Obj, at: string, tiers: ReadonlyMap<string, number>, add: Add): void {
  const { percentOff, amountOff, maxOff } = c;
  const cond = isObj(c.conditions) ? c.conditions : {};
  if ((percentOff === undefined) === (amountOff === undefined)) {
    add(at, 'needs exactly one of "percentOff" and "amountOff"', "coupon_value");
  }
  if (typeof percentOff === "number" && !(percentOff > 0 && percentOff <= 100)) {
    add(`${at}/percentOff`, "must be greater than 0 and at most 100", "invalid_value");
  }
  // An amount-off coupon is its own cap; a maxOff beside it would be ignored or contradict it.
  if (maxOff !== undefined && amountOff !== undefined) {
    add(`${at}/maxOff`, 'only a "percentOff" coupon takes a cap', "invalid_combination");
  }
  const money: [string, unknown][] = [
    ["amountOff", amountOff],
    ["maxOff", maxOff],
    ["conditions/minAmount", cond.minAmount],
  ];
  let currency: [string, string] | null = null;
  for (const [field, m] of money) {
    if (!isObj(m)) continue;
    if (m.amount === 0) add(`${at}/${field}/amount`, "must be greater than 0", "invalid_value");
    if (!isStr(m.currency)) continue;
    if (currency === null) currency = [field, m.currency];
    else if (m.currency !== currency[1]) {
      const msg = `currency ${q(m.currency)} differs from ${currency[0]}'s ${q(currency[1])}`;
      add(`${at}/${field}/currency`, msg, "currency_mismatch");
    }
  }
  if (cond.minQuantity !== undefined && !isPositiveInteger(cond.minQuantity)) {
    add(`${at}/conditions/minQuantity`, "must be a whole number of at least 1", "invalid_value");
  }
  if (cond.validDays !== undefined && !isPositiveInteger(cond.validDays)) {
    add(`${at}/conditions/validDays`, "must be a whole number of days, at least 1", "invalid_value");
  }
  const times: number[] = [];
  for (const field of ["validFrom", "validUntil"] as const) {
    const v = cond[field];
    // A malformed date-time was reported by the schema already.
    if (!isStr(v) || !DATE_TIME_RE.test(v)) continue;
    if (isRealDateTime(v)) times.push(Date.parse(v));
    else add(`${at}/conditions/${field}`, "is not a real date and time", "invalid_date");
  }
  if (times.length === 2 && times[0] >= times[1]) {
    add(`${at}/conditions/validUntil`, 'must be later than "validFrom"', "invalid_window");
  }
  if (isStr(cond.minTier) && codeRe.test(cond.minTier) && !tiers.has(cond.minTier)) {
    add(`${at}/conditions/minTier`, `unknown tier ${q(cond.minTier)}`, "unknown_tier");
  }
  const scope = isObj(cond.scope) ? cond.scope : {};
  checkScope(scope, `${at}/conditions/scope`, add);
  if (cond.channels !== undefined && scope.channels !== undefined) {
    const msg = 'give the channels once, here or in "scope.channels"';
    add(`${at}/conditions/channels`, msg, "invalid_combination");
  }
  // conditions.channels is an allow-list like scope.channels: it must not also be excluded.
  checkScope(
    { channels: cond.channels, excludeChannels: scope.excludeChannels },
    `${at}/conditions/scope`,
    add,
  );

  const limits = isObj(c.limits) ? c.limits : {};
  for (const field of ["perMember", "total"] as const) {
    const v = limits[field];
    if (v !== undefined && !isPositiveInteger(v)) {
      add(
        `${at}/limits/${field}`,
        "must be a whole number of at least 1; omit it for no limit",
        "invalid_value",
      );
    }
  }
  if (isPositiveInteger(limits.perMember) && isPositiveInteger(limits.total)) {
    if ((limits.perMember as number) > (limits.total as number)) {
      add(`${at}/limits/perMember`, `must not exceed "total" (${limits.total})`, "invalid_limits");
    }
  }
}
