import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Locale } from "../catalog/catalog-types.js";
import { DEFAULT_LOCALE } from "../engine/decision-context.js";
import { EngineInputError } from "../engine/engine-error.js";
import { type ErrorMessageVariant, errorMessage } from "../error-messages.js";
import { AppError, type ErrorCode, type ErrorDetail, type ErrorMessageChoice, errorBody } from "../errors.js";
import { EXTERNAL_ID_PATTERN } from "../ids.js";
import { preferredLocale } from "./accept-language.js";
import { ACCEPTED_BODY_TYPES } from "./body-parsers.js";
import { ERROR_STATUS } from "./error-status.js";
import { CODE_PATTERN } from "./schemas.js";

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Patterns of the shared schemas in words: a newcomer should not have to read a regex. */
const PATTERN_WORDS: Record<string, string> = {
  [EXTERNAL_ID_PATTERN]:
    "must be 1 to 128 characters: letters, digits and . _ : @ - (starting with a letter or digit; no spaces or slashes)",
  [CODE_PATTERN]:
    "must be 1 to 64 characters: lower-case letters, digits and _ . - (starting with a letter or digit)",
};

/**
 * Ajv's errors as our details: the path names the offending field, even for unknown or missing ones.
 * A choice among fixed values (TypeBox's union of literals: Ajv reports one failed `const` per
 * value, then the `anyOf`) becomes one detail that lists the allowed values.
 */
function validationDetails(errors: AjvError[], context: string | undefined): ErrorDetail[] {
  const choices = new Map<string, { values: unknown[]; nullable: boolean }>();
  for (const e of errors) {
    if (e.keyword !== "anyOf") continue;
    const branches = errors.filter(
      (b) => b.instancePath === e.instancePath && b.schemaPath.startsWith(`${e.schemaPath}/`),
    );
    const literalOrNull = branches.every(
      (b) => b.keyword === "const" || (b.keyword === "type" && b.params.type === "null"),
    );
    if (branches.length > 0 && literalOrNull) {
      choices.set(e.schemaPath, {
        values: branches.filter((b) => b.keyword === "const").map((b) => b.params.allowedValue),
        nullable: branches.some((b) => b.keyword === "type"),
      });
    }
  }
  const inChoice = (e: AjvError) => [...choices.keys()].some((anyOf) => e.schemaPath.startsWith(`${anyOf}/`));
  return errors.flatMap((e): ErrorDetail[] => {
    if (inChoice(e)) return [];
    const choice = choices.get(e.schemaPath);
    if (choice || e.keyword === "enum") {
      const allowed = choice ? choice.values : (e.params.allowedValues as unknown[]);
      const field = e.instancePath.split("/").pop() || "the value";
      const nullable = choice?.nullable === true;
      const listed = `${allowed.map(String).join(", ")}${nullable ? " (or null)" : ""}`;
      return [
        {
          path: e.instancePath,
          message: `${field} must be one of: ${listed}`,
          allowed: nullable ? [...allowed, null] : allowed,
          in: context,
        },
      ];
    }
    const extra = e.params.additionalProperty ?? e.params.missingProperty;
    const path = extra === undefined ? e.instancePath : `${e.instancePath}/${String(extra)}`;
    const inWords = e.keyword === "pattern" ? PATTERN_WORDS[String(e.params.pattern)] : undefined;
    const message =
      e.params.additionalProperty !== undefined ? "unknown field" : (inWords ?? e.message ?? "is invalid");
    return [{ path, message, in: context }];
  });
}

/** Fastify's own errors (body parsing, limits) mapped onto the closed list of codes and a message variant. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; variant?: ErrorMessageVariant }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "UNSUPPORTED_MEDIA_TYPE" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "MALFORMED_BODY" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "MALFORMED_BODY", variant: "empty_json" },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "MALFORMED_BODY", variant: "invalid_json" },
};

/**
 * PostgreSQL's "character not in repertoire" (U+0000 in text) and "untranslatable character"
 * (U+0000 in jsonb): only input strings cause them. Body parsers reject such strings first; this is
 * the backstop for bodies parsed elsewhere (the payment webhook verifies its raw body itself).
 */
const UNSTORABLE_CHARACTER_SQLSTATES = new Set(["22021", "22P05"]);

/** The member's stored locale, for errors on /v1/me/* (null: unknown member or none stored). */
export type MemberLocale = (memberId: string) => Promise<Locale | null>;

/**
 * The language of an error message, by the rule reasons follow: an explicit Accept-Language first;
 * else, for a member's own request (/v1/me/*, known by its token), the member's stored locale; else
 * zh-CN. (On service routes the request is not a member's, so only the header counts.)
 */
async function errorLocale(request: FastifyRequest, memberLocale: MemberLocale | undefined): Promise<Locale> {
  const explicit = preferredLocale(request.headers["accept-language"]);
  if (explicit) return explicit;
  const principal = request.principal;
  if (principal?.kind === "member" && memberLocale) {
    // A failing database must not turn an error answer into another error.
    const stored = await memberLocale(principal.memberId).catch(() => null);
    if (stored) return stored;
  }
  return DEFAULT_LOCALE;
}

function send(
  reply: FastifyReply,
  locale: Locale,
  code: ErrorCode,
  details: ErrorDetail[] = [],
  choice: ErrorMessageChoice = {},
) {
  const message = errorMessage(code, locale, { ...choice, detailCount: details.length });
  return reply.status(ERROR_STATUS[code]).send(errorBody(code, message, details));
}

/** 1048576 → "1 MiB", 65536 → "64 KiB", 1500 → "1500 bytes". */
export function humanBytes(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 2 ** 30],
    ["MiB", 2 ** 20],
    ["KiB", 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The 413's details: the limit in bytes and in words, so a client can split its request. */
function tooLarge(request: FastifyRequest): { details: ErrorDetail[]; choice: ErrorMessageChoice } {
  const bytes = request.routeOptions.bodyLimit;
  const limit = { bytes, human: humanBytes(bytes) };
  return {
    details: [
      { path: "", in: "body", message: `the body must be at most ${bytes} bytes (${limit.human})`, limit },
    ],
    choice: { variant: "limit", params: { limitBytes: bytes, limitHuman: limit.human } },
  };
}

/** The 415's details: what arrived and what to send instead. */
function unsupportedMediaType(request: FastifyRequest): {
  details: ErrorDetail[];
  choice: ErrorMessageChoice;
} {
  const received = request.headers["content-type"];
  const detail: ErrorDetail = {
    path: "/content-type",
    in: "headers",
    message:
      received === undefined ? "missing: the body needs a Content-Type" : `${received} is not accepted`,
    received: received ?? null,
    accepted: ACCEPTED_BODY_TYPES,
  };
  return {
    details: [detail],
    choice: received === undefined ? { variant: "missing" } : { variant: "other", params: { received } },
  };
}

/**
 * The one place where error codes become HTTP statuses and the documented error body, with the
 * message from the catalogue in the caller's language.
 */
export function createErrorHandler(memberLocale?: MemberLocale) {
  return async function handleError(
    error: FastifyError | AppError | EngineInputError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const locale = await errorLocale(request, memberLocale);
    if (error instanceof AppError) return send(reply, locale, error.code, error.details, error.choice);
    if (error instanceof EngineInputError)
      return send(
        reply,
        locale,
        "VALIDATION_FAILED",
        error.problems.map((p) => ({ ...p })),
      );
    if (error.validation) {
      return send(
        reply,
        locale,
        "VALIDATION_FAILED",
        validationDetails(error.validation as AjvError[], error.validationContext),
      );
    }
    const mapped = FASTIFY_CODES[error.code];
    if (mapped?.code === "PAYLOAD_TOO_LARGE") {
      const { details, choice } = tooLarge(request);
      return send(reply, locale, mapped.code, details, choice);
    }
    if (mapped?.code === "UNSUPPORTED_MEDIA_TYPE") {
      const { details, choice } = unsupportedMediaType(request);
      return send(reply, locale, mapped.code, details, choice);
    }
    if (mapped) return send(reply, locale, mapped.code, [], { variant: mapped.variant });
    if (UNSTORABLE_CHARACTER_SQLSTATES.has(error.code)) {
      // Input the database cannot hold: bad input, not a fault. The transaction has rolled back.
      request.log.warn({ err: error }, "input with characters the database cannot store");
      return send(reply, locale, "VALIDATION_FAILED", [], { variant: "unstorable" });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Any other client error (e.g. a JSON syntax error) is bad input, never a server fault.
      const code: ErrorCode =
        status === 404 ? "NOT_FOUND" : status === 406 ? "NOT_ACCEPTABLE" : "MALFORMED_BODY";
      return send(reply, locale, code);
    }
    request.log.error({ err: error }, "unhandled error");
    return send(reply, locale, "INTERNAL");
  };
}

/** An unknown route, in the documented shape and the caller's language. */
export async function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const locale = await errorLocale(request, undefined);
  return send(reply, locale, "NOT_FOUND", [], {
    variant: "route",
    params: { method: request.method, path: request.url.split("?")[0] },
  });
}

/** Router errors (a path that does not decode, an over-long path parameter) in the documented shape. */
export function createFrameworkErrorHandler(handleError: ReturnType<typeof createErrorHandler>) {
  return async function handleFrameworkError(
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error.code === "FST_ERR_BAD_URL" || error.code === "FST_ERR_MAX_PARAM_LENGTH") {
      const variant = error.code === "FST_ERR_BAD_URL" ? "bad_url" : "param_too_long";
      const message = errorMessage("VALIDATION_FAILED", "en", { variant });
      const locale = await errorLocale(request, undefined);
      return send(reply, locale, "VALIDATION_FAILED", [{ path: "", message, in: "params" }], { variant });
    }
    return handleError(error, request, reply);
  };
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them. Oversized request lines and headers
 * become 431 HEADERS_TOO_LARGE; anything else that is not valid HTTP becomes 400 MALFORMED_BODY. No
 * header was parsed, so the message is in the default language.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code: ErrorCode = error.code === "HPE_HEADER_OVERFLOW" ? "HEADERS_TOO_LARGE" : "MALFORMED_BODY";
  const message = errorMessage(code, DEFAULT_LOCALE, {
    variant: code === "MALFORMED_BODY" ? "not_http" : undefined,
  });
  const body = JSON.stringify(errorBody(code, message));
  const status = ERROR_STATUS[code];
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${code === "HEADERS_TOO_LARGE" ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
