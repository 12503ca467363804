import type { ErrorCode } from "./error-codes.js";
import type { ErrorMessageVariant } from "./error-messages.js";

export type { ErrorCode } from "./error-codes.js";

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

/**
 * An expected "no" that a service returns instead of throwing, because it must be recorded (under an
 * idempotency key) or is an ordinary answer: its code, its words and every detail. The status is
 * chosen at the edge from the code (src/http/outcome-status.ts).
 */
export interface Refusal {
  kind: "refused";
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

/** The documented error body: `{"error": {"code", "message", "details"}}`. */
export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
  return { error: { code, message, details } };
}
