import type { EngineInputError } from "../engine/engine-error.js";
import type { ErrorCode, ErrorDetail } from "../errors.js";

/**
 * What went wrong on the way to an answer, besides the server's own codes: the server could not be
 * reached (connection refused, DNS), did not answer within `timeoutMs`, or answered with something
 * that is not the documented error shape (a proxy's HTML page, say).
 */
export const CLIENT_ERROR_CODES = ["UNREACHABLE", "TIMEOUT", "BAD_RESPONSE"] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type PerkwiseErrorCode = ErrorCode | ClientErrorCode;
export type { ErrorDetail };

/**
 * Every failed SDK call throws this: the documented `{code, message, details}` of the server's error
 * body (and its HTTP status), or a client-side code with status 0.
 */
export class PerkwiseError extends Error {
  readonly code: PerkwiseErrorCode;
  readonly details: ErrorDetail[];
  /** The HTTP status; 0 when no HTTP answer came. */
  readonly status: number;

  constructor(
    code: PerkwiseErrorCode,
    message: string,
    details: ErrorDetail[] = [],
    status = 0,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "PerkwiseError";
    this.code = code;
    this.details = details;
    this.status = status;
  }

  /** True when the server could not answer at all: a fallback may apply. */
  get unavailable(): boolean {
    return this.code === "UNREACHABLE" || this.code === "TIMEOUT";
  }

  /** The server's error body (status ≥ 400), or BAD_RESPONSE when the body is not the documented shape. */
  static fromResponse(status: number, body: unknown): PerkwiseError {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)
      ?.error;
    if (typeof error?.code === "string" && typeof error.message === "string") {
      const details = Array.isArray(error.details) ? (error.details as ErrorDetail[]) : [];
      return new PerkwiseError(error.code as ErrorCode, error.message, details, status);
    }
    return new PerkwiseError(
      "BAD_RESPONSE",
      `The server answered ${status} without an error body.`,
      [],
      status,
    );
  }

  /** A thrown fetch failure: TIMEOUT for our own deadline, UNREACHABLE for anything else. */
  static fromFetchFailure(cause: unknown, timeoutMs: number): PerkwiseError {
    const name = (cause as { name?: string } | null)?.name;
    if (name === "TimeoutError") {
      return new PerkwiseError("TIMEOUT", `No answer from the server within ${timeoutMs} ms.`, [], 0, cause);
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return new PerkwiseError("UNREACHABLE", `The server could not be reached: ${message}`, [], 0, cause);
  }

  /** The engine's error raised locally (a bad `context.at`) as the server would answer it. */
  static fromEngineInput(error: EngineInputError): PerkwiseError {
    return new PerkwiseError(
      "VALIDATION_FAILED",
      error.message,
      error.problems.map((p) => ({ ...p })),
      0,
      error,
    );
  }
}
