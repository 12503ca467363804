import type { Principal } from "../auth/auth-service.js";
import type { Locale } from "../catalog/catalog-types.js";
import type { RequestLocale } from "../engine/decision-context.js";

/** The supported locale the Accept-Language header prefers most, or null. */
export function preferredLocale(header: string | undefined): Locale | null {
  if (!header) return null;
  let best: Locale | null = null;
  let bestQ = 0;
  for (const part of header.split(",", 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.find((p) => p.trim().startsWith("q="));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const locale: Locale | null = tag.startsWith("zh") ? "zh-CN" : tag.startsWith("en") ? "en" : null;
    if (locale && q > bestQ) {
      best = locale;
      bestQ = q;
    }
  }
  return best;
}

/**
 * The language of the person who reads the answer. A member's own UI (`/v1/me/*`) chooses it: an
 * explicit Accept-Language wins over the member's stored locale (DESIGN, "Decisions taken"). For
 * other callers (a platform's backend, the console) it is a preference: the member's stored locale
 * wins, since the member reads what they relay.
 */
export function readerLocale(request: {
  headers: { "accept-language"?: string };
  principal?: Principal | null;
}): RequestLocale {
  const locale = preferredLocale(request.headers["accept-language"]);
  if (locale === null) return null;
  return request.principal?.kind === "member" ? { chosen: locale } : locale;
}
