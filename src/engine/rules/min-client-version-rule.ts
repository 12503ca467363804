/**
 * `min-client-version`: the client's app version against the benefit's minimum for its platform (or `*`).
 * Minimums are parsed once per compiled benefit and client versions once per distinct string.
 */
import { coerce, parse, type SemVer } from "semver";
import type { CompiledBenefit } from "../../catalog/catalog-types.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

interface Minimum {
  raw: string;
  parsed: SemVer;
}

const EMPTY: ReadonlyMap<string, Minimum> = new Map();
const minimums = new WeakMap<CompiledBenefit, ReadonlyMap<string, Minimum>>();

function minimumsOf(benefit: CompiledBenefit): ReadonlyMap<string, Minimum> {
  let map = minimums.get(benefit);
  if (map === undefined) {
    const byPlatform = new Map<string, Minimum>();
    for (const [platform, raw] of Object.entries(benefit.minClientVersion ?? {})) {
      // The catalog compiler validates minimums; one that still fails to parse imposes nothing.
      const parsed = raw === undefined ? null : parse(raw);
      if (raw !== undefined && parsed !== null) byPlatform.set(platform, { raw, parsed });
    }
    map = byPlatform.size === 0 ? EMPTY : byPlatform;
    minimums.set(benefit, map);
  }
  return map;
}

/** Versions like `5.2`, `v5`, `5.2.0.1234` (build numbers); never a number picked out of free text. */
const VERSION_LIKE = /^v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.+-]*)?$/;
const CLIENT_CACHE_LIMIT = 1024;
const clientVersions = new Map<string, SemVer | null>();

/** The client's version as semver, or null when it is not a version at all (which counts as outdated). */
export function parseClientVersion(version: string): SemVer | null {
  let parsed = clientVersions.get(version);
  if (parsed === undefined) {
    parsed = parse(version);
    if (parsed === null && VERSION_LIKE.test(version)) parsed = coerce(version, { includePrerelease: true });
    if (clientVersions.size >= CLIENT_CACHE_LIMIT) clientVersions.clear();
    clientVersions.set(version, parsed);
  }
  return parsed;
}

export const minClientVersionRule: GrantRule = {
  code: "min-client-version",
  blocking: true,
  needsGrant: true,
  reasons: ["CLIENT_OUTDATED"],
  step: "update_client",
  fields: ["rules.minClientVersion"],
  check({ benefit, ctx }) {
    const client = ctx.client;
    if (client === undefined || benefit.minClientVersion === null) return null;
    const version = client.version;
    if (version === undefined) return null;
    const byPlatform = minimumsOf(benefit);
    const platform = client.platform;
    const min = (platform === undefined ? undefined : byPlatform.get(platform)) ?? byPlatform.get("*");
    if (min === undefined) return null;
    const parsed = parseClientVersion(version);
    if (parsed !== null && parsed.compare(min.parsed) >= 0) return null;
    return sharedFailure(
      benefit,
      benefit,
      platform === undefined ? `\u0000${version}` : `${platform}\u0000${version}`,
      () => ({
        code: "CLIENT_OUTDATED",
        details: { platform: platform ?? null, version, minVersion: min.raw },
        remedy: { actor: "member", action: "update_client" },
      }),
    );
  },
};
