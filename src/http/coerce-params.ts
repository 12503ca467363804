import type { FastifyRequest, RouteOptions } from "fastify";

type Part = "params" | "query";
type Scalar = "integer" | "number" | "boolean";
interface Coercion {
  part: Part;
  key: string;
  type: Scalar;
}

const INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;
const NUMBER = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,16})?$/;

/** The fields of an object schema typed integer, number or boolean. */
function scalarFields(schema: unknown, part: Part): Coercion[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (!properties) return [];
  return Object.entries(properties).flatMap(([key, property]) =>
    property.type === "integer" || property.type === "number" || property.type === "boolean"
      ? [{ part, key, type: property.type }]
      : [],
  );
}

function coerce(value: string, type: Scalar): unknown {
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  const ok = type === "integer" ? INTEGER.test(value) : NUMBER.test(value);
  const n = Number(value);
  return ok && Number.isFinite(n) && (type === "number" || Number.isSafeInteger(n)) ? n : value;
}

/**
 * Path and query parameters always arrive as strings, and the server never lets Ajv coerce types
 * (so that a JSON body's `"on": "true"` stays an error). This onRoute hook gives the routes whose
 * params or querystring schema asks for a number or boolean a preValidation step that converts
 * canonical strings ("12", "true"); anything else is left for validation to reject with a 400.
 */
export function coerceParamsOnRoute(route: RouteOptions): void {
  const coercions = [
    ...scalarFields(route.schema?.params, "params"),
    ...scalarFields(route.schema?.querystring, "query"),
  ];
  if (coercions.length === 0) return;
  const hook = async (request: FastifyRequest) => {
    for (const { part, key, type } of coercions) {
      const container = request[part] as Record<string, unknown> | undefined;
      const value = container?.[key];
      if (container && typeof value === "string") container[key] = coerce(value, type);
    }
  };
  const existing = route.preValidation;
  route.preValidation =
    existing === undefined ? [hook] : [hook, ...(Array.isArray(existing) ? existing : [existing])];
}
