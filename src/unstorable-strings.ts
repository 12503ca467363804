import type { ErrorDetail } from "./errors.js";

const MAX_DETAILS = 20;
/** U+0000 and lone surrogates: PostgreSQL can store neither in text nor in jsonb. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this must find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const pointer = (path: string, key: string) => `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** Every string (key or value) in a parsed body that the database could not store, by JSON pointer. */
export function unstorableStrings(value: unknown, path = "", found: ErrorDetail[] = []): ErrorDetail[] {
  if (found.length >= MAX_DETAILS) return found;
  if (typeof value === "string") {
    if (UNSTORABLE.test(value)) {
      found.push({ path, message: "must not contain U+0000 or an unpaired surrogate" });
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) unstorableStrings(item, `${path}/${i}`, found);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) {
        found.push({ path: pointer(path, key), message: "field name must not contain U+0000" });
      }
      unstorableStrings(item, pointer(path, key), found);
    }
  }
  return found;
}
