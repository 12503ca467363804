/**
 * `client-cache`: advisory, never blocking. The client reported an entitlements version older than the
 * server's, so what it shows may be stale — also worth saying when the decision is allowed or has no grant.
 */
import { type MemberRule, sharedFailure } from "./rule-types.js";

export const clientCacheRule: MemberRule = {
  code: "client-cache",
  blocking: false,
  needsGrant: false,
  reasons: ["CLIENT_CACHE_STALE"],
  step: "refresh_client",
  fields: [],
  check({ snapshot, benefit, ctx }) {
    const clientVersion = ctx.client?.entitlementsVersion;
    if (clientVersion === undefined || clientVersion >= snapshot.entitlementsVersion) return null;
    return sharedFailure(snapshot, benefit, String(clientVersion), () => ({
      code: "CLIENT_CACHE_STALE",
      details: { clientVersion, serverVersion: snapshot.entitlementsVersion },
      remedy: { actor: "member", action: "refresh_client" },
    }));
  },
};
