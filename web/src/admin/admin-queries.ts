/** The console's reads through react-query and the typed client; keys let a change refetch only its part. */
import { useQuery } from "@tanstack/react-query";
import { type Client, unwrap } from "../common/client";

export const adminKeys = {
  catalog: ["catalog"] as const,
  current: ["catalog", "current"] as const,
  versions: ["catalog", "versions"] as const,
  version: (n: number) => ["catalog", "version", n] as const,
  diff: (n: number) => ["catalog", "diff", n] as const,
};

export function useCatalogInForce(client: Client) {
  return useQuery({ queryKey: adminKeys.current, queryFn: () => unwrap(client.GET("/v1/catalog")) });
}

/** A stored document without its version and creation time: what the editor and the diffs show. */
export function documentOf<T extends { version: number; createdAt: string }>(record: T) {
  const { version: _version, createdAt: _createdAt, ...document } = record;
  return document;
}
