import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import type { Stores } from "../db/stores.js";
import { newId } from "../ids.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import { DRIFT_KINDS, type Finding, findingKey } from "./drift.js";
import { reconcileMemberJob } from "./reconcile-job-kinds.js";
import type { KindCount, ReconcileRunRecord, ReconcileStore, RunTrigger } from "./reconcile-store.js";
import { type MemberRepair, repairMember, tierBenefits } from "./repair-member.js";

/** Members per detection statement: big enough to amortize round trips, small enough to bound memory. */
export const DEFAULT_CHUNK_SIZE = 10_000;
/** Findings kept on a run's record (the counts are always complete). */
const FINDINGS_KEPT = 100;

export interface ReconcileProgress {
  scanned: number;
  total: number;
  found: number;
}

export interface ReconcileOptions {
  fix: boolean;
  trigger: RunTrigger;
  onProgress?: (progress: ReconcileProgress) => void;
  chunkSize?: number;
}

/** A run as the API and the CLI show it. */
export interface ReconcileRunView {
  id: string;
  trigger: RunTrigger;
  fix: boolean;
  status: ReconcileRunRecord["status"];
  startedAt: string;
  finishedAt: string | null;
  membersScanned: number;
  found: number;
  repaired: number;
  /** Found and not repaired: what a dry run leaves, or what a repair could not fix. */
  remaining: number;
  kinds: KindCount[];
  /** The first findings (at most 100), each with whether it was repaired. */
  findings: ReconcileRunRecord["findings"];
  error: string | null;
}

export function runView(run: ReconcileRunRecord): ReconcileRunView {
  return {
    id: run.id,
    trigger: run.trigger,
    fix: run.fix,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    membersScanned: run.membersScanned,
    found: run.found,
    repaired: run.repaired,
    remaining: run.found - run.repaired,
    kinds: run.kinds,
    findings: run.findings,
    error: run.error,
  };
}

export interface ReconcileDeps {
  store: ReconcileStore;
  /** A decision's repair request is a job, scheduled on the pool (the durable queue). */
  jobs: Pick<Stores["jobs"], "schedule">;
  writes: MemberWrites;
  catalog: CatalogService;
  clock: Clock;
  log?: (message: string, error: unknown) => void;
}

/**
 * Reconciliation: scans every member in chunks of ids (keyset pagination, one detection statement per
 * chunk, so memory stays bounded whatever the member count), and with `fix` repairs each drifting
 * member in a transaction of its own, under the member's lock.
 */
export class ReconcileService {
  /** Members whose repair a decision already asked for, with the minute it asked (bounded). */
  private readonly requested = new Map<string, number>();
  /** Repair requests still being written, so the database is not closed under them. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly deps: ReconcileDeps) {}

  private log(message: string, error: unknown): void {
    if (this.deps.log) this.deps.log(message, error);
    else console.error(message, error);
  }

  /** A full run: dry (find and count) or with `fix` (repair as it goes). Recorded in reconcile_runs. */
  async run(options: ReconcileOptions): Promise<ReconcileRunView> {
    // Without a catalog there is nothing a membership should hold: refuse before recording a run.
    this.deps.catalog.require();
    const run = this.newRun(options.trigger, options.fix);
    await this.deps.store.insertRun(run);
    const total = await this.deps.store.countMembers();
    const repairErrors: string[] = [];
    try {
      await this.scan(
        { reconcile: this.deps.store },
        run,
        options.chunkSize,
        async (findings) => {
          const resolved = new Set<string>();
          if (!options.fix) return resolved;
          for (const memberId of new Set(findings.map((f) => f.memberId))) {
            try {
              const repair = await this.deps.writes.run((scope) =>
                repairMember(scope, this.deps.catalog, memberId, this.deps.clock.now()),
              );
              // A finding of the scan counts as repaired when it no longer holds after the repair
              // (repaired now, or by a concurrent write before the lock was taken).
              const left = new Set(repair.skipped.map((s) => findingKey(s.finding)));
              for (const f of findings)
                if (f.memberId === memberId && !left.has(findingKey(f))) resolved.add(findingKey(f));
            } catch (error) {
              repairErrors.push(`${memberId}: ${error instanceof Error ? error.message : String(error)}`);
              this.log(`reconcile: repair of member ${memberId} failed`, error);
            }
          }
          return resolved;
        },
        (scanned) => options.onProgress?.({ scanned, total, found: run.found }),
      );
      run.status = "finished";
      if (repairErrors.length > 0)
        run.error = `${repairErrors.length} member(s) could not be repaired; first: ${repairErrors[0]}`;
    } catch (error) {
      run.status = "failed";
      run.error = error instanceof Error ? error.message : String(error);
    }
    run.finishedAt = new Date(this.deps.clock.now());
    await this.deps.store.finishRun(run);
    return runView(run);
  }

  /**
   * The nightly job's run, in the job's transaction: scans, and schedules a `reconcile.member` job for
   * each drifting member, so each repair is a small transaction of its own, retried on its own.
   */
  async runInJob(scope: MemberWriteScope, now: number): Promise<ReconcileRunView> {
    const { stores } = scope;
    const run = this.newRun("job", true);
    await this.scan(stores, run, undefined, async (findings) => {
      const members = [...new Set(findings.map((f) => f.memberId))];
      await stores.jobs.schedule(members.map((id) => reconcileMemberJob(id, now, run.id)));
      return new Set<string>();
    });
    run.status = "finished";
    run.finishedAt = new Date(this.deps.clock.now());
    await stores.reconcile.insertRun(run);
    return runView(run);
  }

  /**
   * Self-healing (a diagnosis): the member's drift repaired now, under the member's lock, so what
   * is said next describes the repaired state. One read when there is none (null), which is nearly
   * always.
   */
  async repairIfDrifting(memberId: string, catalog: CompiledCatalog): Promise<MemberRepair | null> {
    const now = this.deps.clock.now();
    const found = await this.deps.store.detect(memberId, memberId, new Date(now), tierBenefits(catalog));
    if (found.length === 0) return null;
    return this.deps.writes.run((scope) => repairMember(scope, this.deps.catalog, memberId, now));
  }

  async runs(limit = 20): Promise<ReconcileRunView[]> {
    return (await this.deps.store.listRuns(limit)).map(runView);
  }

  /**
   * A decision met drift: schedule the member's repair. Fire-and-forget — never awaited by the
   * decision — and at most once per member per minute from this process (the job key dedupes across
   * processes).
   */
  requestRepair(memberId: string): void {
    const now = this.deps.clock.now();
    const minute = Math.floor(now / 60_000);
    if (this.requested.get(memberId) === minute) return;
    if (this.requested.size >= 10_000) this.requested.clear();
    this.requested.set(memberId, minute);
    const scheduling = this.deps.jobs
      .schedule([reconcileMemberJob(memberId, now)])
      .catch((error) => this.log(`reconcile: could not schedule the repair of member ${memberId}`, error))
      .finally(() => this.pending.delete(scheduling));
    this.pending.add(scheduling);
  }

  /** Waits for repair requests still being written: call before closing the database. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private newRun(trigger: RunTrigger, fix: boolean): ReconcileRunRecord {
    return {
      id: newId("rcn"),
      trigger,
      fix,
      status: "running",
      startedAt: new Date(this.deps.clock.now()),
      finishedAt: null,
      membersScanned: 0,
      found: 0,
      repaired: 0,
      kinds: DRIFT_KINDS.map((kind) => ({ kind, found: 0, repaired: 0 })),
      findings: [],
      error: null,
    };
  }

  /** Chunk by chunk: detect, let `onChunk` repair (returning the keys it resolved), and count. */
  private async scan(
    stores: Pick<Stores, "reconcile">,
    run: ReconcileRunRecord,
    chunkSize = DEFAULT_CHUNK_SIZE,
    onChunk: (findings: Finding[]) => Promise<Set<string>>,
    onProgress?: (scanned: number) => void,
  ): Promise<void> {
    const counts = new Map(run.kinds.map((k) => [k.kind, k]));
    let after: string | null = null;
    for (;;) {
      const chunk = await stores.reconcile.nextChunk(after, chunkSize);
      if (!chunk) return;
      // The catalog is read per chunk: a catalog change during a long run applies from the next chunk.
      const tiers = tierBenefits(this.deps.catalog.require());
      const findings = await stores.reconcile.detect(
        chunk.first,
        chunk.last,
        new Date(this.deps.clock.now()),
        tiers,
      );
      const resolved = findings.length > 0 ? await onChunk(findings) : new Set<string>();
      for (const f of findings) {
        const repaired = resolved.has(findingKey(f));
        const count = counts.get(f.kind)!;
        count.found++;
        run.found++;
        if (repaired) {
          count.repaired++;
          run.repaired++;
        }
        if (run.findings.length < FINDINGS_KEPT) run.findings.push({ ...f, repaired });
      }
      run.membersScanned += chunk.count;
      after = chunk.last;
      onProgress?.(run.membersScanned);
    }
  }
}
