import type { ErrorMessageVariant } from "./error-messages.js";

/**
 * The closed list of error codes. Thrown errors carry one of these; the HTTP status is chosen
 * only at the edge (src/http/error-handler.ts), from ERROR_STATUS.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_BODY: 400,
  TIMESTAMP_OUT_OF_TOLERANCE: 400,
  UNAUTHENTICATED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  BENEFIT_NOT_FOUND: 404,
  CATALOG_NOT_FOUND: 404,
  CATALOG_VERSION_NOT_FOUND: 404,
  /** No such hold, or (for a member) not one of theirs. */
  HOLD_NOT_FOUND: 404,
  /** No such outgoing webhook endpoint. */
  WEBHOOK_ENDPOINT_NOT_FOUND: 404,
  /** No such delivery of that endpoint. */
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  BENEFIT_NOT_GRANTED: 409,
  /** A usage request the decision denies because the quota has no room for it. */
  QUOTA_EXHAUSTED: 409,
  /** A usage request the decision denies for any other reason (no membership, not yet effective …). */
  USAGE_DENIED: 409,
  /** An idempotency key reused with a different request. */
  IDEMPOTENCY_CONFLICT: 409,
  /** No such coupon, or (for anyone but its member) not theirs: the same answer either way. */
  COUPON_NOT_FOUND: 404,
  /** No coupons were redeemed under this order reference. */
  REDEMPTION_NOT_FOUND: 404,
  /** A redemption refused: details list every coupon with every problem (coupon reason codes). */
  COUPON_NOT_REDEEMABLE: 409,
  /** A coupon whose claim deadline passed cannot be claimed any more. */
  COUPON_NOT_CLAIMABLE: 409,
  /** The hold was cleared already. */
  HOLD_NOT_OPEN: 409,
  /** The hold is cleared by an agent's decision only; the member cannot verify it away. */
  HOLD_NOT_SELF_CLEARABLE: 409,
  /** A verification attempt with no live code: none was requested, or it was used or voided. */
  VERIFICATION_NOT_REQUESTED: 409,
  /** A replay to an endpoint that is disabled: re-enable it first. */
  WEBHOOK_ENDPOINT_DISABLED: 409,
  /**
   * A catalog PUT that removes tiers, plans or benefits members hold (or plans pending orders name)
   * without `"confirm": "remove"`; details list each with its members and pending orders.
   */
  CATALOG_CHANGE_NEEDS_CONFIRMATION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  CATALOG_INVALID: 422,
  /** Usage was reported for a benefit that is not a quota. */
  BENEFIT_NOT_QUOTA: 422,
  AMOUNT_MISMATCH: 422,
  /** A wrong one-time code (details: attemptsLeft). */
  VERIFICATION_FAILED: 422,
  /** The one-time code expired; request a new one. */
  VERIFICATION_EXPIRED: 422,
  RATE_LIMITED: 429,
  /** Too many wrong codes: the hold's verification is locked until details.lockedUntil. */
  VERIFICATION_LOCKED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with the input, located by a JSON-pointer-like path. */
export interface ErrorDetail {
  path: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Which message of the catalogue (src/error-messages.ts) a response shows: the code's own, or a
 * variant of it with the values its placeholders need.
 */
export interface ErrorMessageChoice {
  variant?: ErrorMessageVariant;
  params?: Readonly<Record<string, string | number>>;
}

/**
 * An error with a code from the closed list; `details` lists every problem found at once. `message`
 * is for logs and the command line (English, as specific as the thrower can be); an HTTP response
 * shows the catalogue's message for the code (or `choice.variant`) in the caller's language.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly choice: ErrorMessageChoice;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetail[] = [],
    choice: ErrorMessageChoice = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.choice = choice;
  }
}

/** The documented error body: `{"error": {"code", "message", "details"}}`. */
export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
  return { error: { code, message, details } };
}
