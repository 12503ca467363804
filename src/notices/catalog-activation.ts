/**
 * The `catalog.activate` job: applies a catalog version to members when it comes into force, one
 * chunk of members per job (keyset over member ids), each chunk one transaction: grandfathering marks
 * (or their end, for `apply_now`), grants for benefits the tiers gained, and a notice, an outbox event,
 * a timeline entry and an entitlements-version bump for every member whose decisions change. The next
 * chunk is a job of its own, so progress is durable and no member list is ever held in memory.
 */

import { CATALOG_ACTIVATE, type CatalogService } from "../catalog/catalog-service.js";
import type { LocalizedText } from "../catalog/catalog-types.js";
import { applyVersionPolicy } from "../catalog/grandfathering.js";
import { versionImpact } from "../catalog/version-impact.js";
import { addMembershipGrants } from "../grants/membership-grants.js";
import { newGrants } from "../grants/new-grants.js";
import type { JobRecord } from "../jobs/job-store.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberWriteScope } from "../members/member-writes.js";

/** Members per chunk (and per transaction). */
export const ACTIVATION_CHUNK = 5_000;

/** The title every notice of version n carries; the version's own notice text is its message. */
export function noticeTitle(version: number): LocalizedText {
  return {
    en: `Changes to your membership benefits (catalog version ${version})`,
    "zh-CN": `会员权益调整通知（目录版本${version}）`,
  };
}

export function catalogActivation(catalog: CatalogService, chunkSize = ACTIVATION_CHUNK): JobHandler {
  return {
    kind: CATALOG_ACTIVATE,
    async run(scope, jobs, now) {
      for (const job of jobs) await activateChunk(catalog, scope, job, now, chunkSize);
    },
  };
}

async function activateChunk(
  catalog: CatalogService,
  scope: MemberWriteScope,
  job: JobRecord,
  now: number,
  chunkSize: number,
): Promise<void> {
  const { stores } = scope;
  const version = Number(job.payload.version);
  const after = typeof job.payload.cursor === "string" ? job.payload.cursor : "";
  const target = await catalog.installedVersion(version, stores.catalog);
  if (version <= 1) return;
  const before = await catalog.installedVersion(version - 1, stores.catalog);
  const impact = versionImpact(before.compiled, target.compiled, target.record.diff);
  const tiers = Object.keys(impact.tiers);
  const at = new Date(now);
  const last = await stores.ruleChanges.nextChunk(tiers, after, chunkSize, at);
  if (last === null) return;
  const range = { after, upTo: last };

  await applyVersionPolicy(stores, target.record.policy, impact.grantPairs, version, at, range);

  const gaining = tiers.filter((t) => impact.tiers[t].added.length > 0);
  if (gaining.length > 0) {
    // Bounded by the chunk; effective times follow each benefit's own rule from when the tier gained it.
    const memberships = await stores.ruleChanges.membershipsOf(gaining, range, at);
    const grants = memberships.flatMap((m) =>
      newGrants(
        target.compiled,
        version,
        impact.tiers[m.tier].added,
        m,
        Math.max(m.startsAt.getTime(), target.activeAt),
      ),
    );
    await addMembershipGrants(stores, grants);
  }

  const noticed = await stores.notices.fanOut({
    version,
    policy: target.record.policy,
    activeAt: new Date(target.activeAt),
    title: noticeTitle(version),
    message: target.record.notice,
    tiers: impact.tiers,
    range,
    now: at,
  });
  for (const memberId of noticed) scope.touch(memberId);

  await stores.jobs.schedule([
    {
      kind: CATALOG_ACTIVATE,
      key: `${CATALOG_ACTIVATE}:${version}:${last}`,
      runAt: at,
      payload: { version, cursor: last },
    },
  ]);
}
