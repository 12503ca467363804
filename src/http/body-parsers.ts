import type { FastifyInstance } from "fastify";
import YAML from "yaml";
import { AppError } from "../errors.js";
import { unstorableStrings } from "../unstorable-strings.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml"];
/** The media types a body may have, named in the 415 that any other (or none) gets. */
export const ACCEPTED_BODY_TYPES = ["application/json", ...YAML_TYPES];
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
    // Clients often send a JSON content type on every request: a route that takes no body
    // (claim, token) accepts an empty one instead of failing on it.
    if (body === "" && !request.routeOptions.schema?.body) return done(null, undefined);
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
      const problem = (error as Error).message;
      done(
        new AppError(
          "MALFORMED_BODY",
          `The YAML body does not parse: ${problem}`,
          [{ path: "", in: "body", message: problem }],
          {
            variant: "invalid_yaml",
          },
        ),
        undefined,
      );
      return;
    }
    const unstorable = rejectUnstorable(value);
    if (unstorable) return done(unstorable, undefined);
    done(null, value);
  });
}
