/** How deliveries are retried and when an endpoint is given up on. */
export interface WebhookPolicy {
  /** Per attempt: connect, send and the response status (default 10 s). */
  timeoutMs: number;
  /** Attempts per delivery before it is marked failed (default 12: about 19 h of backoff). */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubled each time (default 30 s). */
  baseDelayMs: number;
  /** Longest backoff (default 6 h). */
  maxDelayMs: number;
  /** Consecutive failed attempts (any delivery) that disable the endpoint (default 100). */
  disableAfterFailures: number;
  /** Failing without a single success this long disables the endpoint (default 5 days). */
  disableAfterMs: number;
  /** Deliveries sent concurrently per worker pass (default 16). */
  concurrency: number;
  /** How often the worker looks for due deliveries (default 1 s). */
  pollMs: number;
  /**
   * Whether endpoints may be on loopback, private, link-local and other non-public addresses
   * (default false: webhooks must not reach into the server's own network).
   */
  allowPrivateNetworks: boolean;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 12,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
  disableAfterFailures: 100,
  disableAfterMs: 5 * 24 * 3_600_000,
  concurrency: 16,
  pollMs: 1_000,
  allowPrivateNetworks: false,
};

/**
 * When the attempt after the n-th failed one runs: exponential backoff with "equal jitter" — half
 * the delay fixed, half random — so endpoints that failed together do not retry together.
 */
export function retryDelayMs(policy: WebhookPolicy, failedAttempts: number, random = Math.random()): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(delay / 2 + (delay / 2) * random);
}

/** Why the endpoint must be disabled now, or null. */
export function disableReason(
  policy: WebhookPolicy,
  endpoint: { consecutiveFailures: number; failingSince: Date | null },
  now: number,
): string | null {
  if (endpoint.consecutiveFailures >= policy.disableAfterFailures)
    return `${endpoint.consecutiveFailures} consecutive failed attempts`;
  if (endpoint.failingSince !== null && now - endpoint.failingSince.getTime() >= policy.disableAfterMs)
    return `failing since ${endpoint.failingSince.toISOString()}`;
  return null;
}
