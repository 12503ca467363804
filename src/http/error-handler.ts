import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorDetail, errorBody } from "../errors.js";

interface AjvError {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's errors as our details: the path names the offending field, even for unknown or missing ones. */
function validationDetails(errors: AjvError[], context: string | undefined): ErrorDetail[] {
  return errors.map((e) => {
    const extra = e.params.additionalProperty ?? e.params.missingProperty;
    const path = extra === undefined ? e.instancePath : `${e.instancePath}/${String(extra)}`;
    const message = e.params.additionalProperty !== undefined ? "unknown field" : (e.message ?? "is invalid");
    return { path, message, in: context };
  });
}

/** Fastify's own errors (body parsing, limits) mapped onto the closed list of codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "MALFORMED_BODY",
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_BODY",
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_BODY",
};

/**
 * PostgreSQL's "character not in repertoire" (U+0000 in text) and "untranslatable character"
 * (U+0000 in jsonb): only input strings cause them. Body parsers reject such strings first; this is
 * the backstop for bodies parsed elsewhere (the payment webhook verifies its raw body itself).
 */
const UNSTORABLE_CHARACTER_SQLSTATES = new Set(["22021", "22P05"]);

/** The one place where error codes become HTTP statuses and the documented error body. */
export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.status(ERROR_STATUS[error.code]).send(errorBody(error.code, error.message, error.details));
  }
  if (error.validation) {
    const details = validationDetails(error.validation as AjvError[], error.validationContext);
    return reply
      .status(400)
      .send(errorBody("VALIDATION_FAILED", `The request has ${details.length} problem(s).`, details));
  }
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return reply.status(ERROR_STATUS[mapped]).send(errorBody(mapped, error.message));
  if (UNSTORABLE_CHARACTER_SQLSTATES.has(error.code)) {
    // Input the database cannot hold: bad input, not a fault. The transaction has rolled back.
    request.log.warn({ err: error }, "input with characters the database cannot store");
    return reply
      .status(400)
      .send(errorBody("VALIDATION_FAILED", "The input holds a character that cannot be stored (U+0000)."));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Any other client error (e.g. a JSON syntax error) is bad input, never a server fault.
    const code: ErrorCode =
      status === 404 ? "NOT_FOUND" : status === 406 ? "NOT_ACCEPTABLE" : "MALFORMED_BODY";
    return reply.status(ERROR_STATUS[code]).send(errorBody(code, error.message));
  }
  request.log.error({ err: error }, "unhandled error");
  return reply.status(500).send(errorBody("INTERNAL", "Internal error; it has been logged."));
}

/** Router errors (a path that does not decode, an over-long path parameter) in the documented shape. */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === "FST_ERR_BAD_URL" || error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    const message =
      error.code === "FST_ERR_BAD_URL"
        ? "The path is not valid percent-encoded UTF-8."
        : "A path parameter is longer than any valid id.";
    return reply
      .status(400)
      .send(errorBody("VALIDATION_FAILED", message, [{ path: "", message, in: "params" }]));
  }
  return handleError(error, request, reply);
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them. Oversized request lines and headers
 * become 413 PAYLOAD_TOO_LARGE (the closed list has no code of its own for 414/431); anything else
 * that is not valid HTTP becomes 400 MALFORMED_BODY.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code: ErrorCode = error.code === "HPE_HEADER_OVERFLOW" ? "HEADERS_TOO_LARGE" : "MALFORMED_BODY";
  const message =
    code === "HEADERS_TOO_LARGE"
      ? "The request line or headers are larger than the server accepts."
      : "The request is not valid HTTP.";
  const body = JSON.stringify(errorBody(code, message));
  const status = ERROR_STATUS[code];
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${code === "HEADERS_TOO_LARGE" ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
