/**
 * Where deliveries may go. An admin registers the URL, but a URL that reaches the loopback, private,
 * link-local or metadata addresses of the server's own network turns webhooks into a way to probe it
 * (SSRF). Unless private networks are allowed, only public unicast addresses are reached — checked on
 * the address actually connected to, so a name that resolves differently later (DNS rebinding) gains
 * nothing.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** The error a refused address gives; its message goes to the delivery log. */
export class BlockedAddressError extends Error {
  readonly code = "WEBHOOK_ADDRESS_BLOCKED";
  constructor(host: string, address: string) {
    const range = ipaddr.process(address).range();
    super(
      `${host} is ${address}, a ${range} address: private networks are not allowed ` +
        "(PERKWISE_WEBHOOK_ALLOW_PRIVATE=true allows them)",
    );
    this.name = "BlockedAddressError";
  }
}

/** A public unicast address (IPv4-mapped IPv6 judged as the IPv4 address it carries). */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === "unicast";
}

/** The URL's host as an IP address when it is one (IPv6 without its brackets), else null. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) === 0 ? null : host;
}

/** A `lookup` for http.request that fails when the name resolves to any address that is not public. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (error, address: string | LookupAddress[], family?: number) => {
    if (error) return callback(error, "", 0);
    const all = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
    const blocked = all.find((a) => !isPublicAddress(a.address));
    if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), "", 0);
    // Node asks for one address or for all of them (`all: true`, happy eyeballs): answer in kind.
    (callback as (error: null, address: string | LookupAddress[], family?: number) => void)(
      null,
      address,
      family,
    );
  });
};
