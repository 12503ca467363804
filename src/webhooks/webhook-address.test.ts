import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { BlockedAddressError, isPublicAddress, publicOnlyLookup } from "./webhook-address.js";

function resolve(hostname: string, all: boolean): Promise<string | LookupAddress[]> {
  return new Promise((done, fail) =>
    publicOnlyLookup(hostname, { all }, (error, address) => (error ? fail(error) : done(address))),
  );
}

describe("webhook addresses", () => {
  it("public means global unicast, judging IPv4-mapped IPv6 by its IPv4 address", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("2001:4860:4860::8888")).toBe(true);
    for (const address of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.4",
      "100.64.0.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "not an address",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it("a name resolving to a loopback address fails at connect time, asked for one address or all", async () => {
    for (const all of [false, true]) {
      const error = await resolve("localhost", all).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedAddressError);
      expect((error as Error).message).toMatch(
        /^localhost is (127\.0\.0\.1|::1), a loopback address: private networks are not allowed/,
      );
    }
  });
});
