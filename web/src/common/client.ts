/**
 * The typed client of the HTTP API: openapi-fetch over the types generated from the server's
 * OpenAPI document (`npm run sdk:types`), so a path, its parameters, its body and its answer are
 * checked against the routes' schemas. Every request carries the bearer secret and the language
 * the UI shows: on `/v1/me/*` and for the console's admin and support keys it wins over the member's
 * stored locale, so a page reads one language.
 */
import createClient from "openapi-fetch";
import type { paths } from "../../../src/sdk/openapi-types";

export type Client = ReturnType<typeof createClient<paths>>;

/** The documented error shape `{error: {code, message, details}}` of a failed request. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

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
    body?.error?.message ?? (typeof error === "string" && error ? error.slice(0, 200) : response.statusText),
    body?.error?.details ?? [],
  );
}

/** Retries a failed read twice, except a refusal (4xx) that asking again cannot change. */
export function retryUnlessRefused(count: number, error: unknown): boolean {
  return !(error instanceof ApiError && error.status < 500) && count < 2;
}
