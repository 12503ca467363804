/**
 * The remote client: Perkwise's HTTP API, typed from its OpenAPI document (openapi-typescript +
 * openapi-fetch). Every failure throws a PerkwiseError with the documented `{code, message, details}`.
 */
import createFetchClient, { type Client } from "openapi-fetch";
import type { Locale } from "../catalog/catalog-types.js";
import type { Entitlements } from "../engine/entitlements.js";
import type { MemberSnapshotWire } from "../engine/snapshot-wire.js";
import type { paths } from "./openapi-types.js";
import { PerkwiseError } from "./perkwise-error.js";

type JsonBody<P extends keyof paths, M extends "get" | "post"> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;
type JsonOk<P extends keyof paths, M extends "get" | "post"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer R } } };
}
  ? R
  : never;

/** A decision as the server answers it: allowed, the reasons (codes from a closed list), the grant. */
export type Decision = JsonOk<"/v1/check", "post">;
export type Reason = Decision["reasons"][number];
/** One check: member, benefit and optional context (`at`, `channel`, `product`, `client`, `usage`). */
export type CheckRequest = JsonBody<"/v1/check", "post">;
export type DecisionContextInput = NonNullable<CheckRequest["context"]>;
/** The answer about a benefit (the same route answers about a coupon when asked with `coupon`). */
export type Diagnosis = Extract<JsonOk<"/v1/members/{memberId}/diagnose", "post">, { benefit: string }>;
export type DiagnoseOptions = Pick<
  JsonBody<"/v1/members/{memberId}/diagnose", "post">,
  "context" | "orderId"
>;
export type CatalogHistory = JsonOk<"/v1/catalog/history", "get">;
export type { Entitlements, MemberSnapshotWire };

export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A service (or admin) API key. */
  apiKey: string;
  /** A fetch to use instead of the global one (it is called with a Request). */
  fetch?: (request: Request) => Promise<Response>;
  /** Per-request deadline; a slower answer throws PerkwiseError TIMEOUT. Default 5000 ms. */
  timeoutMs?: number;
  /** Message language for members without a locale of their own (sent as Accept-Language). */
  locale?: Locale;
}

export interface PerkwiseClient {
  check(memberId: string, benefit: string, context?: DecisionContextInput): Promise<Decision>;
  /** Up to 1000 checks in one request, answered in order. */
  checkBatch(checks: CheckRequest[]): Promise<Decision[]>;
  /** Every benefit with its state for a registered member (MEMBER_NOT_FOUND otherwise). */
  entitlements(memberId: string): Promise<Entitlements>;
  /** Why a benefit does not work: findings with evidence and remedies. */
  diagnose(memberId: string, benefit: string, options?: DiagnoseOptions): Promise<Diagnosis>;
  /** What decisions read about the member (the local evaluator's input). */
  snapshot(memberId: string): Promise<MemberSnapshotWire>;
  /** Every catalog version with its document and diff (the local evaluator's other input). */
  catalogHistory(): Promise<CatalogHistory>;
  /** The typed openapi-fetch client, for every other route (errors are not converted there). */
  readonly api: Client<paths>;
  readonly options: Readonly<Required<Pick<ClientOptions, "url" | "apiKey" | "timeoutMs">>> & ClientOptions;
}

export const DEFAULT_TIMEOUT_MS = 5000;

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** A client for the Perkwise API at `url`, authenticated with `apiKey`. */
export function createClient(options: ClientOptions): PerkwiseClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}` };
  if (options.locale) headers["accept-language"] = options.locale;
  const api = createFetchClient<paths>({
    baseUrl: options.url.replace(/\/+$/, ""),
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const signal = () => AbortSignal.timeout(timeoutMs);

  async function call<T>(request: () => Promise<FetchResult<T>>): Promise<T> {
    let result: FetchResult<T>;
    try {
      result = await request();
    } catch (cause) {
      throw PerkwiseError.fromFetchFailure(cause, timeoutMs);
    }
    if (!result.response.ok || result.data === undefined) {
      throw PerkwiseError.fromResponse(result.response.status, result.error);
    }
    return result.data;
  }

  return {
    api,
    options: { ...options, timeoutMs },
    check: (memberId, benefit, context) =>
      call(() => api.POST("/v1/check", { body: { memberId, benefit, context }, signal: signal() })),
    checkBatch: async (checks) =>
      (await call(() => api.POST("/v1/check/batch", { body: { checks }, signal: signal() }))).results,
    // The route documents no response schema (it answers 304 to If-None-Match): typed by the engine.
    entitlements: (memberId) =>
      call(
        () =>
          api.GET("/v1/members/{memberId}/entitlements", {
            params: { path: { memberId } },
            signal: signal(),
          }) as unknown as Promise<FetchResult<Entitlements>>,
      ),
    diagnose: (memberId, benefit, diagnoseOptions = {}) =>
      call(
        () =>
          api.POST("/v1/members/{memberId}/diagnose", {
            params: { path: { memberId } },
            body: { ...diagnoseOptions, benefit },
            signal: signal(),
          }) as unknown as Promise<FetchResult<Diagnosis>>,
      ),
    snapshot: (memberId) =>
      call(() =>
        api.GET("/v1/members/{memberId}/snapshot", { params: { path: { memberId } }, signal: signal() }),
      ),
    catalogHistory: () => call(() => api.GET("/v1/catalog/history", { signal: signal() })),
  };
}
