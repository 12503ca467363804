import { describe, expect, it } from "vitest";
import { activeMember, context, fixtureCatalog } from "../engine-fixtures.js";
import type { ClientContext } from "../engine-types.js";
import { clientCacheRule } from "./client-cache-rule.js";

const catalog = fixtureCatalog();
const member = activeMember(catalog);
const check = (client: ClientContext | undefined) =>
  clientCacheRule.check({
    snapshot: member,
    catalog,
    benefit: catalog.benefits.get("ad_free")!,
    grant: null,
    membership: null,
    ctx: context({ client }),
  });

describe("client-cache rule", () => {
  it("flags a client holding an older entitlements version", () => {
    expect(check({ entitlementsVersion: 16 })).toEqual({
      code: "CLIENT_CACHE_STALE",
      details: { clientVersion: 16, serverVersion: 17 },
      remedy: { actor: "member", action: "refresh_client" },
    });
  });

  it("is quiet when the client is current, ahead, or says nothing", () => {
    expect(check({ entitlementsVersion: 17 })).toBeNull();
    expect(check({ entitlementsVersion: 18 })).toBeNull();
    expect(check({ platform: "ios", version: "6.0.0" })).toBeNull();
    expect(check(undefined)).toBeNull();
  });

  it("is advisory and runs with or without a grant", () => {
    expect(clientCacheRule).toMatchObject({ blocking: false, needsGrant: false, step: "refresh_client" });
  });
});
