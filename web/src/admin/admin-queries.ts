/** The console's reads through react-query and the typed client; keys let a change refetch only its part. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RequestBody } from "../common/api-types";
import { type Client, unwrap } from "../common/client";

export const adminKeys = {
  catalog: ["catalog"] as const,
  current: ["catalog", "current"] as const,
  versions: ["catalog", "versions"] as const,
  version: (n: number) => ["catalog", "version", n] as const,
  diff: (n: number) => ["catalog", "diff", n] as const,
  memberSearch: (q: string) => ["members", "search", q] as const,
  reconcileRuns: ["reconcile", "runs"] as const,
  stats: ["stats"] as const,
};

export function useCatalogInForce(client: Client) {
  return useQuery({ queryKey: adminKeys.current, queryFn: () => unwrap(client.GET("/v1/catalog")) });
}

export function useCatalogVersions(client: Client) {
  return useQuery({
    queryKey: adminKeys.versions,
    queryFn: () => unwrap(client.GET("/v1/catalog/versions")),
  });
}

/** A stored version, or nothing to read (`null`: the first version has no previous one). */
export function useCatalogVersion(client: Client, n: number | null) {
  return useQuery({
    queryKey: adminKeys.version(n ?? 0),
    queryFn: () => unwrap(client.GET("/v1/catalog/versions/{n}", { params: { path: { n: n ?? 0 } } })),
    enabled: n !== null,
    // A stored version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useVersionDiff(client: Client, n: number | null) {
  return useQuery({
    queryKey: adminKeys.diff(n ?? 0),
    queryFn: () => unwrap(client.GET("/v1/catalog/versions/{n}/diff", { params: { path: { n: n ?? 0 } } })),
    enabled: n !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A stored document without its version and creation time: what the editor and the diffs show. */
export function documentOf<T extends { version: number; createdAt: string }>(record: T) {
  const { version: _version, createdAt: _createdAt, ...document } = record;
  return document;
}

export function useMemberSearch(client: Client, q: string) {
  return useQuery({
    queryKey: adminKeys.memberSearch(q),
    queryFn: () => unwrap(client.GET("/v1/members", { params: { query: { q, limit: 50 } } })),
  });
}

export function useReconcileRuns(client: Client) {
  return useQuery({
    queryKey: adminKeys.reconcileRuns,
    queryFn: () => unwrap(client.GET("/v1/reconcile/runs")),
  });
}

/** Starts a dry run or a repair; the run list is read again once it answers. */
export function useStartReconcile(client: Client) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (fix: boolean) => unwrap(client.POST("/v1/reconcile", { body: { fix } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: adminKeys.reconcileRuns }),
  });
}

export function useStats(client: Client) {
  return useQuery({ queryKey: adminKeys.stats, queryFn: () => unwrap(client.GET("/v1/stats")) });
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

export function invalidateMemberPage(queries: QueryClient, memberId: string, type: string) {
  for (const queryKey of memberPageKeysChangedBy(memberId, type))
    void queries.invalidateQueries({ queryKey });
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

type PlaceHold = RequestBody<"/v1/members/{memberId}/holds", "post">;
type DiagnoseBody = RequestBody<"/v1/members/{memberId}/diagnose", "post">;

/** Places or clears a hold; the member's state, records and timeline are read again once it answers. */
export function useHoldActions(client: Client, memberId: string) {
  const queries = useQueryClient();
  const onSuccess = () => invalidateMemberPage(queries, memberId, "hold.changed");
  const place = useMutation({
    mutationFn: (body: PlaceHold) =>
      unwrap(client.POST("/v1/members/{memberId}/holds", { params: { path: { memberId } }, body })),
    onSuccess,
  });
  const clear = useMutation({
    mutationFn: ({ holdId, note }: { holdId: string; note: string }) =>
      unwrap(client.POST("/v1/holds/{holdId}/clear", { params: { path: { holdId } }, body: { note } })),
    onSuccess,
  });
  return { place, clear };
}

/** The support diagnosis of a member (`POST /v1/members/{id}/diagnose`), in the console's language. */
export function useDiagnose(client: Client, memberId: string) {
  return useMutation({
    mutationFn: (body: DiagnoseBody) =>
      unwrap(client.POST("/v1/members/{memberId}/diagnose", { params: { path: { memberId } }, body })),
  });
}
