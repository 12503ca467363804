import type { Locale } from "../catalog/catalog-types.js";

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
