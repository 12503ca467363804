/**
 * Time formatting for decisions and messages. Both caches memoize pure functions, so the engine
 * stays observationally pure; they are bounded and simply start over when full.
 */

const CACHE_LIMIT = 8192;

const isoCache = new Map<number, string>();

/** `new Date(ms).toISOString()`, memoized: decisions repeat the same few instants. */
export function isoTime(ms: number): string {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    if (isoCache.size >= CACHE_LIMIT) isoCache.clear();
    iso = new Date(ms).toISOString();
    isoCache.set(ms, iso);
  }
  return iso;
}

interface ZoneFormatter {
  format: Intl.DateTimeFormat;
  label: string;
}

const zoneFormatters = new Map<string, ZoneFormatter>();

function zoneFormatter(timeZone: string): ZoneFormatter {
  let zf = zoneFormatters.get(timeZone);
  if (zf === undefined) {
    zf = { format: createFormat(timeZone) ?? (createFormat("UTC") as Intl.DateTimeFormat), label: timeZone };
    if (zf.format.resolvedOptions().timeZone === "UTC" && !isUtcName(timeZone)) zf.label = "UTC";
    zoneFormatters.set(timeZone, zf);
  }
  return zf;
}

function isUtcName(timeZone: string): boolean {
  const upper = timeZone.toUpperCase();
  return upper === "UTC" || upper === "ETC/UTC" || upper === "GMT" || upper === "Z";
}

function createFormat(timeZone: string): Intl.DateTimeFormat | null {
  // Runs once per distinct time zone; an unknown zone (bad member data) falls back to UTC.
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    return null;
  }
}

const localCache = new Map<string, string>();

/**
 * A member-readable local time: `2026-11-25 00:00 (Asia/Shanghai)`. Accepts an ISO string or epoch ms;
 * anything else is returned as text.
 */
export function formatLocalTime(value: unknown, timeZone: string): string {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) return value == null ? "" : String(value);
  const key = `${timeZone}\u0000${ms}`;
  let text = localCache.get(key);
  if (text === undefined) {
    if (localCache.size >= CACHE_LIMIT) localCache.clear();
    const zf = zoneFormatter(timeZone);
    let y = "";
    let mo = "";
    let d = "";
    let h = "";
    let mi = "";
    for (const part of zf.format.formatToParts(ms)) {
      if (part.type === "year") y = part.value;
      else if (part.type === "month") mo = part.value;
      else if (part.type === "day") d = part.value;
      else if (part.type === "hour") h = part.value;
      else if (part.type === "minute") mi = part.value;
    }
    text = `${y}-${mo}-${d} ${h}:${mi} (${zf.label})`;
    localCache.set(key, text);
  }
  return text;
}
