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
 * Credentials whose holder reads the answer: a member in their own UI (`/v1/me/*`), an operator in
 * the console (admin and support keys). A service key is a platform's backend relaying to the
 * member, who reads it.
 */
const READS_ITSELF: ReadonlySet<Principal["kind"]> = new Set(["member", "admin", "support"]);

/**
 * The language of the person who reads the answer. When that person sends the request (a member's
 * own UI, the console), an explicit Accept-Language wins over the member's stored locale, so a page
 * reads one language (DESIGN, "Decisions taken"). For a service key it is a preference: the member's
 * stored locale wins, since the member reads what the platform relays.
 */
export function readerLocale(request: {
  headers: { "accept-language"?: string };
  principal?: Principal | null;
}): RequestLocale {
  const locale = preferredLocale(request.headers["accept-language"]);
  if (locale === null) return null;
  const kind = request.principal?.kind;
  return kind !== undefined && READS_ITSELF.has(kind) ? { chosen: locale } : locale;
}
