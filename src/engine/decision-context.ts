/**
 * The decision context of a request: its own fields, the member's locale and latest client session.
 * Pure, so the server and the SDK's local evaluator build the very same context from the same input.
 */
import type { Locale } from "../catalog/catalog-types.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { EngineInputError } from "./engine-error.js";
import type { ClientContext, DecisionContext, MemberSnapshot, ProductContext } from "./engine-types.js";

/** The decision context as callers send it; `at` is an ISO time. */
export interface ContextInput {
  at?: string;
  channel?: string;
  product?: ProductContext;
  client?: ClientContext;
  usage?: number;
}

/** Messages default to Chinese, the language of the platforms Perkwise is built for. */
export const DEFAULT_LOCALE: Locale = "zh-CN";

/**
 * The language a request asks for: nothing, a preference (the member's stored locale wins over it:
 * a platform's backend asking about a member), or the choice of the person reading the answer (the
 * member's own UI on `/v1/me/*`, an operator's console), which wins over the stored locale.
 */
export type RequestLocale = Locale | null | { readonly chosen: Locale };

/** The locale messages are written in, for a member whose stored locale is `stored`. */
export function messageLocale(stored: Locale | null, request: RequestLocale): Locale {
  if (request !== null && typeof request === "object") return request.chosen;
  return stored ?? request ?? DEFAULT_LOCALE;
}

/**
 * `now` applies when the input has no `at`; `requestLocale` when the member has no locale of their
 * own; `path` prefixes the JSON pointer of a bad `at`.
 */
export function decisionContext(
  snapshot: MemberSnapshot,
  input: ContextInput | undefined,
  requestLocale: RequestLocale,
  now: number,
  path = "",
): DecisionContext {
  let at = now;
  if (input?.at !== undefined) {
    const parsed = parseIsoDateTime(input.at);
    if (parsed === null) {
      throw new EngineInputError("context.at is not a date-time.", [
        { path: `${path}/context/at`, message: "must be an ISO-8601 date-time with an offset" },
      ]);
    }
    at = parsed;
  }
  return {
    at,
    locale: messageLocale(snapshot.locale, requestLocale),
    channel: input?.channel,
    product: input?.product,
    // Without a client in the context, what the member's app last reported about itself.
    client: input?.client ?? snapshot.latestSession ?? undefined,
    usage: input?.usage,
  };
}
