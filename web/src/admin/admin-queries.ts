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

export const memberPageKeys = {
  all: (id: string) => ["member", id] as const,
  detail: (id: string) => ["member", id, "detail"] as const,
  entitlements: (id: string) => ["member", id, "entitlements"] as const,
  timeline: (id: string) => ["member", id, "timeline"] as const,
};

/** What an event on `/v1/events?members=…` changed on the member page: the queries to read again. */
export function memberPageKeysChangedBy(memberId: string, type: string) {
  const { detail, entitlements, timeline } = memberPageKeys;
  // Coupons and notices show on the timeline only; everything else may change state and records.
  if (type.startsWith("coupon.") || type.startsWith("notice.")) return [timeline(memberId)];
  if (type === "member.updated") return [detail(memberId), entitlements(memberId)];
  return [detail(memberId), entitlements(memberId), timeline(memberId)];
}

export function useMemberDetail(client: Client, memberId: string) {
  return useQuery({
    queryKey: memberPageKeys.detail(memberId),
    queryFn: () => unwrap(client.GET("/v1/members/{memberId}", { params: { path: { memberId } } })),
  });
}

export function useMemberEntitlements(client: Client, memberId: string, language: string) {
  return useQuery({
    queryKey: [...memberPageKeys.entitlements(memberId), language],
    queryFn: () =>
      unwrap(client.GET("/v1/members/{memberId}/entitlements", { params: { path: { memberId } } })),
  });
}

export function useMemberTimeline(client: Client, memberId: string) {
  return useQuery({
    queryKey: memberPageKeys.timeline(memberId),
    queryFn: () => unwrap(client.GET("/v1/members/{memberId}/timeline", { params: { path: { memberId } } })),
  });
}
