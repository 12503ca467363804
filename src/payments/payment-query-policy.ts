/**
 * When a pending order is asked about: the first query `afterMs` after the order was created, then
 * after 2·after, 4·after … each wait at most `capMs`, and none once the order is older than
 * `giveUpAfterMs`. With the defaults: 5, 15, 35, 75, 155 minutes after creation, then every 2 hours,
 * for 48 hours — past both providers' own notification retries (Alipay ~25 h, WeChat Pay ~24 h).
 * Pure: the instants follow from the order's creation, so a late job does not shift the grid.
 */
export interface PaymentQueryPolicy {
  /** PERKWISE_PAYMENT_QUERY_AFTER: how long a pending order waits for its notification before the first query. */
  afterMs: number;
  /** The longest wait between two queries. */
  capMs: number;
  /** No query once the order is older than this. */
  giveUpAfterMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_PAYMENT_QUERY_POLICY: PaymentQueryPolicy = {
  afterMs: 5 * MINUTE,
  capMs: 120 * MINUTE,
  giveUpAfterMs: 48 * 60 * MINUTE,
};

/** Never more queries than this for one order, whatever the policy says. */
const MAX_ATTEMPTS = 1_000;

/** The instant of the n-th query (1-based) of an order created at `createdAt`; null past the give-up age. */
export function queryInstant(createdAt: number, attempt: number, policy: PaymentQueryPolicy): number | null {
  let at = createdAt + policy.afterMs;
  for (let n = 1; n < attempt; n++) at += Math.min(policy.afterMs * 2 ** n, policy.capMs);
  return at - createdAt <= policy.giveUpAfterMs ? at : null;
}

/** The first query strictly after `now`, or null when the order is too old for another. */
export function nextQuery(
  createdAt: number,
  now: number,
  policy: PaymentQueryPolicy,
): { attempt: number; at: number } | null {
  let at = createdAt + policy.afterMs;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (at - createdAt > policy.giveUpAfterMs) return null;
    if (at > now) return { attempt, at };
    at += Math.min(policy.afterMs * 2 ** attempt, policy.capMs);
  }
  return null;
}
