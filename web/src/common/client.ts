/**
 * The typed client of the HTTP API: openapi-fetch over the types generated from the server's
 * OpenAPI document (`npm run sdk:types`), so a path, its parameters, its body and its answer are
 * checked against the routes' schemas. Every request carries the bearer secret and the language
 * the UI shows (on `/v1/me/*` it wins over the member's stored locale, so a page reads one language).
 */
import createClient from "openapi-fetch";
import type { paths } from "../../../src/sdk/openapi-types";
import { ApiError } from "./api";

export type Client = ReturnType<typeof createClient<paths>>;

export function createTypedClient(secret: string, language: string): Client {
  return createClient<paths>({
    baseUrl: window.location.origin,
    headers: { authorization: `Bearer ${secret}`, "accept-language": language },
  });
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or the documented error shape thrown as an ApiError. */
export async function unwrap<T>(request: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (response.ok) return data as T;
  const body = (error ?? null) as { error?: { code?: string; message?: string; details?: [] } } | null;
  throw new ApiError(
    response.status,
    body?.error?.code ?? `HTTP_${response.status}`,
    body?.error?.message ?? response.statusText,
    body?.error?.details ?? [],
  );
}
