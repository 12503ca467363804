/**
 * The member centre's data, read with react-query through the typed client. Each answer has its
 * own key, so a live event refetches only what it changed (and only what a shown section uses).
 */
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { type Client, unwrap } from "../common/client";
import type { LiveEvent } from "../common/live";

export const memberKeys = {
  all: ["me"] as const,
  profile: ["me", "profile"] as const,
  names: ["me", "catalog"] as const,
  entitlements: ["me", "entitlements"] as const,
  holds: ["me", "holds"] as const,
  notices: ["me", "notices"] as const,
  timeline: ["me", "timeline"] as const,
  coupons: ["me", "coupons"] as const,
  checkout: ["me", "checkout"] as const,
  plans: ["me", "plans"] as const,
  tickets: ["me", "tickets"] as const,
};

type Key = readonly string[];

/** What an event on `/v1/me/events` changed: the keys to read again. */
export function keysChangedBy(event: LiveEvent): Key[] {
  const cause = (event.data as { cause?: unknown } | null)?.cause;
  const type = event.type === "entitlements.changed" && typeof cause === "string" ? cause : event.type;
  const { entitlements, holds, notices, timeline, coupons, checkout, names, profile, plans } = memberKeys;
  if (type.startsWith("ticket.")) return [memberKeys.tickets, timeline];
  if (type.startsWith("coupon.")) return [coupons, checkout, timeline];
  if (type.startsWith("notice.")) return [notices, entitlements, timeline];
  if (type.startsWith("hold.")) return [holds, entitlements, timeline];
  if (type === "catalog.changed") return [names, entitlements, coupons, checkout, notices, timeline, plans];
  if (type === "member.updated") return [profile, entitlements, timeline, plans];
  // Orders, payments, refunds, claims, toggles, expiry: the membership and what follows from it
  // (the plans page's offers and upgrade credit too).
  return [entitlements, holds, coupons, checkout, timeline, plans];
}

export function invalidate(queries: QueryClient, keys: Key[]) {
  for (const queryKey of keys) void queries.invalidateQueries({ queryKey });
}

export function useProfile(client: Client) {
  return useQuery({
    queryKey: memberKeys.profile,
    queryFn: () => unwrap(client.GET("/v1/me/profile")),
  });
}

export function useNames(client: Client, language: string) {
  return useQuery({
    queryKey: [...memberKeys.names, language],
    queryFn: () => unwrap(client.GET("/v1/me/catalog")),
  });
}

export function useEntitlements(client: Client, language: string) {
  return useQuery({
    queryKey: [...memberKeys.entitlements, language],
    queryFn: () => unwrap(client.GET("/v1/me/entitlements")),
  });
}

export function useHolds(client: Client) {
  return useQuery({ queryKey: memberKeys.holds, queryFn: () => unwrap(client.GET("/v1/me/holds")) });
}

export function useNotices(client: Client, language: string) {
  return useQuery({
    queryKey: [...memberKeys.notices, language],
    queryFn: () => unwrap(client.GET("/v1/me/notices")),
  });
}

export function useTimeline(client: Client) {
  return useQuery({ queryKey: memberKeys.timeline, queryFn: () => unwrap(client.GET("/v1/me/timeline")) });
}

export function useCoupons(client: Client, language: string) {
  return useQuery({
    queryKey: [...memberKeys.coupons, language],
    queryFn: () => unwrap(client.GET("/v1/me/coupons")),
  });
}

export function usePlans(client: Client, language: string) {
  return useQuery({
    queryKey: [...memberKeys.plans, language],
    queryFn: () => unwrap(client.GET("/v1/me/plans")),
  });
}

export function useMyTickets(client: Client) {
  return useQuery({ queryKey: memberKeys.tickets, queryFn: () => unwrap(client.GET("/v1/me/tickets")) });
}

export function useMyTicket(client: Client, ticketId: string) {
  return useQuery({
    queryKey: [...memberKeys.tickets, ticketId],
    queryFn: () => unwrap(client.GET("/v1/me/tickets/{ticketId}", { params: { path: { ticketId } } })),
  });
}
