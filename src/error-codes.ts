/**
 * The closed list of error codes. Thrown errors carry one of these; the HTTP status of each is chosen
 * only at the edge (src/http/error-status.ts), and the OpenAPI document lists them as the enum of
 * `ErrorResponse.code`.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "MALFORMED_BODY",
  "TIMESTAMP_OUT_OF_TOLERANCE",
  "UNAUTHENTICATED",
  "INVALID_SIGNATURE",
  "FORBIDDEN",
  "NOT_FOUND",
  "MEMBER_NOT_FOUND",
  "PLAN_NOT_FOUND",
  "ORDER_NOT_FOUND",
  "BENEFIT_NOT_FOUND",
  "CATALOG_NOT_FOUND",
  "CATALOG_VERSION_NOT_FOUND",
  /** No such hold, or (for a member) not one of theirs. */
  "HOLD_NOT_FOUND",
  /** No such API key (or, to rotate, no such live one). */
  "API_KEY_NOT_FOUND",
  /** No such outgoing webhook endpoint. */
  "WEBHOOK_ENDPOINT_NOT_FOUND",
  /** No such delivery of that endpoint. */
  "WEBHOOK_DELIVERY_NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "NOT_ACCEPTABLE",
  "CONFLICT",
  "BENEFIT_NOT_GRANTED",
  /** A usage request the decision denies because the quota has no room for it. */
  "QUOTA_EXHAUSTED",
  /** A usage request the decision denies for any other reason (no membership, not yet effective …). */
  "USAGE_DENIED",
  /** An idempotency key reused with a different request. */
  "IDEMPOTENCY_CONFLICT",
  /** No such coupon, or (for anyone but its member) not theirs: the same answer either way. */
  "COUPON_NOT_FOUND",
  /** No coupons were redeemed under this order reference. */
  "REDEMPTION_NOT_FOUND",
  /** A payment provider's endpoint on a server without that provider's configuration. */
  "PROVIDER_NOT_CONFIGURED",
  /** A redemption refused: details list every coupon with every problem (coupon reason codes). */
  "COUPON_NOT_REDEEMABLE",
  /** A coupon whose claim deadline passed cannot be claimed any more. */
  "COUPON_NOT_CLAIMABLE",
  /** The hold was cleared already. */
  "HOLD_NOT_OPEN",
  /** The hold is cleared by an agent's decision only; the member cannot verify it away. */
  "HOLD_NOT_SELF_CLEARABLE",
  /** A verification attempt with no live code: none was requested, or it was used or voided. */
  "VERIFICATION_NOT_REQUESTED",
  /** A replay to an endpoint that is disabled: re-enable it first. */
  "WEBHOOK_ENDPOINT_DISABLED",
  /**
   * A catalog PUT that removes tiers, plans or benefits members hold (or plans pending orders name)
   * without `"confirm": "remove"`; details list each with its members and pending orders.
   */
  "CATALOG_CHANGE_NEEDS_CONFIRMATION",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "HEADERS_TOO_LARGE",
  "CATALOG_INVALID",
  /** Usage was reported for a benefit that is not a quota. */
  "BENEFIT_NOT_QUOTA",
  "AMOUNT_MISMATCH",
  /** A wrong one-time code (details: attemptsLeft). */
  "VERIFICATION_FAILED",
  /** The one-time code expired; request a new one. */
  "VERIFICATION_EXPIRED",
  "RATE_LIMITED",
  /** Too many wrong codes: the hold's verification is locked until details.lockedUntil. */
  "VERIFICATION_LOCKED",
  /** No such ticket, or (for a member) not one of theirs: the same answer either way. */
  "TICKET_NOT_FOUND",
  /** No such attachment on that ticket. */
  "ATTACHMENT_NOT_FOUND",
  /** The ticket's state does not allow the change (details: status). */
  "TICKET_NOT_OPEN",
  /** A member escalation before any target or promise was missed, or past the last level. */
  "ESCALATION_NOT_ALLOWED",
  /** An attachment whose bytes are not PNG, JPEG, WebP or PDF. */
  "ATTACHMENT_TYPE_NOT_ALLOWED",
  /** An attachment larger than 5 MB. */
  "ATTACHMENT_TOO_LARGE",
  "INTERNAL",
  "UNAVAILABLE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
