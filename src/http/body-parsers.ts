import type { FastifyInstance } from "fastify";
import YAML from "yaml";
import { AppError, type ErrorDetail } from "../errors.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];
const MAX_DETAILS = 20;
/** U+0000 and lone surrogates: PostgreSQL can store neither in text nor in jsonb. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this must find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const pointer = (path: string, key: string) => `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** Every string (key or value) in a parsed body that the database could not store, by JSON pointer. */
export function unstorableStrings(value: unknown, path = "", found: ErrorDetail[] = []): ErrorDetail[] {
  if (found.length >= MAX_DETAILS) return found;
  if (typeof value === "string") {
    if (UNSTORABLE.test(value)) {
      found.push({ path, message: "must not contain U+0000 or an unpaired surrogate" });
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) unstorableStrings(item, `${path}/${i}`, found);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) {
        found.push({ path: pointer(path, key), message: "field name must not contain U+0000" });
      }
      unstorableStrings(item, pointer(path, key), found);
    }
  }
  return found;
}

function rejectUnstorable(value: unknown): AppError | null {
  const problems = unstorableStrings(value);
  return problems.length === 0
    ? null
    : new AppError("VALIDATION_FAILED", `The request has ${problems.length} problem(s).`, problems);
}

/**
 * JSON (Fastify's own parser, with its prototype-poisoning protection) and YAML bodies. Both refuse
 * strings the database cannot store, so such input is a 400 naming the field rather than a failed
 * write. The JSON check runs only when the raw text holds a `\u` escape, the one way such a
 * character gets into a valid JSON document: the hot path pays nothing.
 */
export function registerBodyParsers(server: FastifyInstance): void {
  // A JSON API: a text/plain body is the wrong media type (415), not a string to validate.
  server.removeContentTypeParser("text/plain");
  const defaultJson = server.getDefaultJsonParser("error", "error");
  server.removeContentTypeParser("application/json");
  server.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    defaultJson(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const unstorable = (body as string).includes("\\u") ? rejectUnstorable(value) : null;
      if (unstorable) return done(unstorable, undefined);
      done(null, value);
    });
  });
  server.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_request, body, done) => {
    let value: unknown;
    try {
      value = YAML.parse(body as string, { maxAliasCount: 50 });
    } catch (error) {
      done(
        new AppError("MALFORMED_BODY", `The YAML body does not parse: ${(error as Error).message}`),
        undefined,
      );
      return;
    }
    const unstorable = rejectUnstorable(value);
    if (unstorable) return done(unstorable, undefined);
    done(null, value);
  });
}
