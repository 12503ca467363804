import { randomBytes } from "node:crypto";

/** A random, URL-safe id with a readable prefix, e.g. `ord_3kq9…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** Ids that members and platforms choose (member ids, codes): safe in URLs and logs. */
export const EXTERNAL_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$";
