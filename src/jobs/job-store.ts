import { type Selectable, sql } from "kysely";
import type { JobsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import { jobRow, type NewJob } from "./new-job.js";

export type JobStatus = "pending" | "running" | "done" | "failed";

export interface JobRecord {
  id: string;
  kind: string;
  key: string;
  memberId: string | null;
  runAt: Date;
  payload: Record<string, unknown>;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The durable job queue. Workers lease due jobs with FOR UPDATE SKIP LOCKED, so several processes share it. */
export interface JobStore {
  /** Schedules jobs in one statement; returns how many were new (a known key is left as it is). */
  schedule(jobs: NewJob[]): Promise<number>;
  /**
   * Leases up to `limit` jobs due at `now` — pending ones, and running ones whose lease lapsed (their
   * worker died) — to `worker` until now + leaseMs, oldest due first.
   */
  lease(worker: string, now: Date, leaseMs: number, limit: number): Promise<JobRecord[]>;
  /** Marks jobs done if `worker` still holds them; returns how many it did (fewer means a lease was lost). */
  complete(ids: string[], worker: string, now: Date): Promise<number>;
  /** Keeps jobs leased to `worker` until `until`; returns how many it still held. */
  extendLease(ids: string[], worker: string, until: Date): Promise<number>;
  /** Records a failed attempt: back to pending at `retryAt`, or failed for good when retryAt is null. */
  fail(id: string, worker: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  /** Jobs by status (all unfinished when none is given), due first. */
  list(filter: { statuses: JobStatus[]; limit: number }): Promise<JobRecord[]>;
  /** How many jobs are in each status. */
  counts(): Promise<Record<JobStatus, number>>;
}

type Row = Selectable<JobsTable>;

function toRecord(row: Row): JobRecord {
  return {
    id: String(row.id),
    kind: row.kind,
    key: row.key,
    memberId: row.member_id,
    runAt: new Date(row.run_at),
    payload: row.payload as Record<string, unknown>,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** A new job as a row: pending, with its payload as JSON. */
export function createJobStore(db: Executor): JobStore {
  return {
    async schedule(jobs) {
      if (jobs.length === 0) return 0;
      const rows = await db
        .insertInto("jobs")
        .values(jobs.map(jobRow))
        .onConflict((oc) => oc.column("key").doNothing())
        .returning("id")
        .execute();
      return rows.length;
    },
    async lease(worker, now, leaseMs, limit) {
      const until = new Date(now.getTime() + leaseMs);
      // Two scans, each on its own partial index, each skipping rows another worker is leasing right
      // now: concurrent workers take disjoint jobs instead of queueing on the same ones.
      const { rows } = await sql<Row>`
        with pending as (
          select id from jobs where status = 'pending' and run_at <= ${now}
          order by run_at, id limit ${limit} for update skip locked),
        lapsed as (
          select id from jobs where status = 'running' and locked_until <= ${now}
          order by locked_until, id limit ${limit} for update skip locked),
        picked as (select id from pending union select id from lapsed)
        update jobs set status = 'running', locked_by = ${worker}, locked_until = ${until},
          attempts = attempts + 1
        from picked where jobs.id = picked.id
        returning jobs.*`.execute(db);
      return rows
        .map(toRecord)
        .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
    },
    async complete(ids, worker, now) {
      if (ids.length === 0) return 0;
      const rows = await db
        .updateTable("jobs")
        .set({ status: "done", finished_at: now, locked_until: null, last_error: null })
        .where("id", "in", ids)
        .where("status", "=", "running")
        .where("locked_by", "=", worker)
        .returning("id")
        .execute();
      return rows.length;
    },
    async extendLease(ids, worker, until) {
      if (ids.length === 0) return 0;
      const rows = await db
        .updateTable("jobs")
        .set({ locked_until: until })
        .where("id", "in", ids)
        .where("status", "=", "running")
        .where("locked_by", "=", worker)
        .returning("id")
        .execute();
      return rows.length;
    },
    async fail(id, worker, error, retryAt, now) {
      await db
        .updateTable("jobs")
        .set(
          retryAt === null
            ? { status: "failed", finished_at: now, locked_until: null, last_error: error }
            : { status: "pending", run_at: retryAt, locked_until: null, last_error: error },
        )
        .where("id", "=", id)
        .where("status", "=", "running")
        .where("locked_by", "=", worker)
        .execute();
    },
    async list({ statuses, limit }) {
      const rows = await db
        .selectFrom("jobs")
        .selectAll()
        .where("status", "in", statuses)
        .orderBy("run_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
    async counts() {
      const rows = await db
        .selectFrom("jobs")
        .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
        .groupBy("status")
        .execute();
      const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
      for (const row of rows) counts[row.status as JobStatus] = Number(row.count);
      return counts;
    },
  };
}
