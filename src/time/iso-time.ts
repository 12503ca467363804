/** An ISO-8601 date-time with an explicit offset: `2026-11-24T10:00:00Z`, `2026-11-24T10:00+08:00`. */
export const DATE_TIME_PATTERN =
  "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$";
const ISO_DATE_TIME = new RegExp(DATE_TIME_PATTERN);

/**
 * Epoch ms of a strict ISO-8601 date-time, or null. `Date.parse` alone accepts "1" or "%00" and
 * reads offset-less times in the server's zone, so the shape is checked first.
 */
export function parseIsoDateTime(value: unknown): number | null {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
