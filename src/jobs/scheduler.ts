import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import type { JobRecord, JobStore } from "./job-store.js";

/** What runs one kind of job. Handlers live in their feature folders and are registered in app.ts. */
export interface JobHandler {
  kind: string;
  /**
   * Applies a batch of due jobs of this kind. Its writes commit together with the jobs' completion,
   * or not at all: a job whose lease was lost (its worker was presumed dead) leaves no effect behind.
   * Handlers re-read what they change, so a job that is no longer relevant (an expiry after a renewal)
   * completes without effect.
   */
  run(scope: MemberWriteScope, jobs: JobRecord[], now: number, prepared?: unknown): Promise<void>;
  /**
   * I/O a batch needs before its transaction (a payment provider's query API): run outside it, so no
   * connection or lock is held while a remote answers; what it returns is given to `run`.
   */
  prepare?(jobs: JobRecord[], now: number): Promise<unknown>;
  /**
   * How long this kind may take, when longer than the scheduler's lease (a full reconciliation scan):
   * its jobs' lease is extended to this before they run, so no other worker presumes them dead.
   */
  leaseMs?: number;
}

export interface SchedulerOptions {
  /** How long a leased job is reserved to this worker before another may take it over. */
  leaseMs?: number;
  /** Jobs leased (and, per kind, applied in one transaction) at a time. */
  batchSize?: number;
  /** Concurrent lease-and-run loops in this process (PostgreSQL; PGlite has one connection). */
  concurrency?: number;
  pollMs?: number;
  workerId?: string;
  onError?: (error: unknown, job: JobRecord | null) => void;
}

export interface RunSummary {
  done: number;
  retried: number;
  failed: number;
  /** Jobs another worker took over while this one ran them: their effects were rolled back. */
  lost: number;
}

class LeaseLost extends Error {}

const BASE_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 3_600_000;

/** When a job that failed its n-th attempt is tried again: 10 s, 20 s, 40 s … at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

/** Runs due jobs from the durable queue: on start (catching up on what fell due while down), then on a timer. */
export class Scheduler {
  readonly workerId: string;
  private readonly handlers: Map<string, JobHandler>;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly writes: MemberWrites;
  /** Leases, extensions and failures go to the pool: a handler's transaction commits its jobs' completion. */
  private readonly jobs: JobStore;
  private readonly clock: Clock;

  constructor(
    deps: { writes: MemberWrites; jobs: JobStore; clock: Clock; handlers: JobHandler[] },
    private readonly options: SchedulerOptions = {},
  ) {
    this.writes = deps.writes;
    this.jobs = deps.jobs;
    this.clock = deps.clock;
    const handlers = deps.handlers;
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 500;
    this.concurrency = options.concurrency ?? 1;
    this.pollMs = options.pollMs ?? 1_000;
    this.workerId = options.workerId ?? `worker-${process.pid}-${randomBytes(4).toString("hex")}`;
  }

  /** Runs every job due now, including those that fall due by running others, until none is left. */
  async runDue(): Promise<RunSummary> {
    const summary: RunSummary = { done: 0, retried: 0, failed: 0, lost: 0 };
    const loops = Array.from({ length: this.concurrency }, () => this.loop(summary));
    await Promise.all(loops);
    return summary;
  }

  /** Polls for due jobs until stop(); the first run happens at once. */
  start(): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.running ??= this.runDue()
        .catch((error) => this.options.onError?.(error, null))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async loop(summary: RunSummary): Promise<void> {
    for (;;) {
      const now = new Date(this.clock.now());
      const jobs = await this.jobs.lease(this.workerId, now, this.leaseMs, this.batchSize);
      if (jobs.length === 0) return;
      const byKind = new Map<string, JobRecord[]>();
      for (const job of jobs) {
        const list = byKind.get(job.kind);
        if (list) list.push(job);
        else byKind.set(job.kind, [job]);
      }
      for (const [kind, batch] of byKind) await this.runBatch(kind, batch, summary);
    }
  }

  private async runBatch(kind: string, jobs: JobRecord[], summary: RunSummary): Promise<void> {
    const handler = this.handlers.get(kind);
    if (!handler) {
      for (const job of jobs)
        await this.failed(job, new Error(`no handler for job kind ${kind}`), summary, true);
      return;
    }
    try {
      await this.apply(handler, jobs);
      summary.done += jobs.length;
    } catch (error) {
      if (error instanceof LeaseLost) {
        summary.lost += jobs.length;
        return;
      }
      if (jobs.length === 1) return this.failed(jobs[0], error, summary, false);
      // One bad job must not hold back the rest: retry them one by one to find it.
      for (const job of jobs) await this.runBatch(kind, [job], summary);
    }
  }

  private async apply(handler: JobHandler, jobs: JobRecord[]): Promise<void> {
    if (handler.leaseMs !== undefined && handler.leaseMs > this.leaseMs) {
      const until = new Date(this.clock.now() + handler.leaseMs);
      const extended = await this.jobs.extendLease(
        jobs.map((j) => j.id),
        this.workerId,
        until,
      );
      if (extended !== jobs.length) throw new LeaseLost();
    }
    const prepared = handler.prepare ? await handler.prepare(jobs, this.clock.now()) : undefined;
    return this.writes.run(async (scope) => {
      const now = this.clock.now();
      await handler.run(scope, jobs, now, prepared);
      const completed = await scope.stores.jobs.complete(
        jobs.map((j) => j.id),
        this.workerId,
        new Date(now),
      );
      if (completed !== jobs.length) throw new LeaseLost();
    });
  }

  private async failed(job: JobRecord, error: unknown, summary: RunSummary, permanent: boolean) {
    this.options.onError?.(error, job);
    const message = error instanceof Error ? error.message : String(error);
    const now = this.clock.now();
    const giveUp = permanent || job.attempts >= job.maxAttempts;
    const retryAt = giveUp ? null : new Date(now + retryDelayMs(job.attempts));
    await this.jobs.fail(job.id, this.workerId, message.slice(0, 2000), retryAt, new Date(now));
    if (giveUp) summary.failed++;
    else summary.retried++;
  }
}
