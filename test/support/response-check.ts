/**
 * The tests' response check (ServerOptions.checkResponse): every JSON answer a test server sends is
 * validated against the response schema its route declares, so a schema that disagrees with what
 * the route answers — the schema the OpenAPI document, the SDK and the web client are typed from —
 * fails the test that met it, with the route and the mismatch.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { ResponseCheck } from "../../src/http/server.js";

/** A check for one server: its shared schemas are added once, each route's schema compiled once. */
export function createResponseCheck(): ResponseCheck {
  let ajv: Ajv | null = null;
  return (route, sharedSchemas) => {
    if (ajv === null) {
      ajv = new Ajv({ strict: false, allErrors: true });
      addFormats.default(ajv);
      for (const [id, schema] of Object.entries(sharedSchemas)) ajv.addSchema(schema as object, id);
    }
    const validate: ValidateFunction = ajv.compile(route.schema as object);
    return (data) => {
      // What the client receives: dates as strings, undefined fields gone.
      const sent = data === undefined ? undefined : JSON.parse(JSON.stringify(data));
      if (validate(sent)) return;
      const problems = ajv!.errorsText(validate.errors, { separator: "; " });
      const message = `response schema mismatch: ${route.method} ${route.url} ${route.httpStatus}: ${problems}`;
      console.error(message, JSON.stringify(data).slice(0, 2000));
      throw new Error(message);
    };
  };
}
