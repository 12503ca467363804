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
