import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { ManualClock, systemClock } from "../clock.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { createDataAccess, type DataAccess } from "../db/stores.js";
import { SnapshotCache } from "../decisions/snapshot-cache.js";
import { MemberWrites } from "../members/member-writes.js";
import type { JobRecord } from "./job-store.js";
import { type JobHandler, retryDelayMs, Scheduler, type SchedulerOptions } from "./scheduler.js";

const T = Date.parse("2026-11-24T02:00:00Z");
const MINUTE = 60_000;

/** A handler whose effect is one outbox row per job, so a test can count how often each job took effect. */
function recordingHandler(kind: string, behaviour: (job: JobRecord) => Promise<void> | void = () => {}) {
  const handler: JobHandler = {
    kind,
    async run(scope, jobs) {
      for (const job of jobs) {
        await behaviour(job);
        await scope.stores.outbox.append({ memberId: null, type: `ran.${kind}`, payload: { key: job.key } });
      }
    },
  };
  return handler;
}

function schedulerOn(
  data: DataAccess,
  clock: ManualClock,
  handlers: JobHandler[],
  options: SchedulerOptions = {},
) {
  const cache = new SnapshotCache((id) => data.snapshots.load(id));
  const writes = new MemberWrites({ transaction: data.transaction, cache, clock });
  return new Scheduler({ writes, jobs: data.jobs, clock, handlers }, options);
}

describe.each(TEST_ENGINES)("durable scheduler on $name", (engine) => {
  let handle: DatabaseHandle;
  let data: DataAccess;
  let counter = 0;
  const uniqueKind = () => `test-${engine.name}-${++counter}`;

  beforeAll(async () => {
    handle = await engine.open();
    data = createDataAccess(handle.db, systemClock);
  });
  afterAll(() => handle.close());

  async function ranKeys(kind: string): Promise<string[]> {
    const rows = await handle.db
      .selectFrom("outbox")
      .select("payload")
      .where("type", "=", `ran.${kind}`)
      .orderBy("id")
      .execute();
    return rows.map((r) => (r.payload as { key: string }).key);
  }

  it("runs jobs that are due, not those that are not, and records them done", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule([
      { kind, key: `${kind}:past`, runAt: new Date(T - MINUTE) },
      { kind, key: `${kind}:now`, runAt: new Date(T) },
      { kind, key: `${kind}:later`, runAt: new Date(T + MINUTE) },
    ]);
    // Scheduling a known key again is a no-op.
    expect(await data.jobs.schedule([{ kind, key: `${kind}:now`, runAt: new Date(T) }])).toBe(0);
    const scheduler = schedulerOn(data, clock, [recordingHandler(kind)]);
    expect(await scheduler.runDue()).toEqual({ done: 2, retried: 0, failed: 0, lost: 0 });
    expect(await ranKeys(kind)).toEqual([`${kind}:past`, `${kind}:now`]);
    clock.advance(MINUTE);
    await scheduler.runDue();
    expect(await ranKeys(kind)).toEqual([`${kind}:past`, `${kind}:now`, `${kind}:later`]);
    const done = (await data.jobs.list({ statuses: ["done"], limit: 100 })).filter((j) => j.kind === kind);
    expect(done.map((j) => [j.key, j.attempts])).toEqual([
      [`${kind}:past`, 1],
      [`${kind}:now`, 1],
      [`${kind}:later`, 1],
    ]);
  });

  it("prepare runs before the transaction and hands its result to run; a failing prepare is a failed attempt", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule([{ kind, key: `${kind}:a`, runAt: new Date(T), maxAttempts: 2 }]);
    const seen: unknown[] = [];
    let fail = true;
    const scheduler = schedulerOn(data, clock, [
      {
        kind,
        async prepare(jobs) {
          if (fail) throw new Error("provider unreachable");
          return jobs.map((j) => `asked:${j.key}`);
        },
        async run(scope, jobs, _now, prepared) {
          seen.push(prepared);
          for (const job of jobs)
            await scope.stores.outbox.append({
              memberId: null,
              type: `ran.${kind}`,
              payload: { key: job.key },
            });
        },
      },
    ]);
    expect(await scheduler.runDue()).toMatchObject({ done: 0, retried: 1 });
    expect(seen).toEqual([]);
    fail = false;
    clock.advance(retryDelayMs(1));
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect(seen).toEqual([[`asked:${kind}:a`]]);
    expect(await ranKeys(kind)).toEqual([`${kind}:a`]);
  });

  it("retries a failing job with exponential backoff, then marks it failed; its effects never commit", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule([{ kind, key: `${kind}:bad`, runAt: new Date(T), maxAttempts: 3 }]);
    const scheduler = schedulerOn(data, clock, [
      {
        kind,
        async run(scope) {
          await scope.stores.outbox.append({ memberId: null, type: `ran.${kind}`, payload: { key: "x" } });
          throw new Error("downstream unavailable");
        },
      },
    ]);
    expect(await scheduler.runDue()).toMatchObject({ retried: 1, failed: 0 });
    let [job] = (await data.jobs.list({ statuses: ["pending"], limit: 1000 })).filter((j) => j.kind === kind);
    expect(job).toMatchObject({ attempts: 1, lastError: "downstream unavailable" });
    expect(job.runAt.getTime()).toBe(T + retryDelayMs(1));
    // Not due again before its backoff.
    expect(await scheduler.runDue()).toMatchObject({ retried: 0, failed: 0 });
    clock.set(job.runAt.getTime());
    expect(await scheduler.runDue()).toMatchObject({ retried: 1 });
    [job] = (await data.jobs.list({ statuses: ["pending"], limit: 1000 })).filter((j) => j.kind === kind);
    expect(job.runAt.getTime()).toBe(clock.now() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));
    clock.set(job.runAt.getTime());
    expect(await scheduler.runDue()).toMatchObject({ failed: 1 });
    const [failed] = (await data.jobs.list({ statuses: ["failed"], limit: 1000 })).filter(
      (j) => j.kind === kind,
    );
    expect(failed).toMatchObject({ status: "failed", attempts: 3, lastError: "downstream unavailable" });
    expect(await ranKeys(kind)).toEqual([]);
  });

  it("isolates one bad job in a batch: the others take effect once", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule(
      ["a", "b", "c", "d"].map((k) => ({ kind, key: `${kind}:${k}`, runAt: new Date(T) })),
    );
    const scheduler = schedulerOn(data, clock, [
      recordingHandler(kind, (job) => {
        if (job.key.endsWith(":c")) throw new Error("bad row");
      }),
    ]);
    expect(await scheduler.runDue()).toEqual({ done: 3, retried: 1, failed: 0, lost: 0 });
    expect((await ranKeys(kind)).sort()).toEqual([`${kind}:a`, `${kind}:b`, `${kind}:d`]);
  });

  it("a job leased by a worker that died is taken over when its lease lapses, and runs once", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule([{ kind, key: `${kind}:orphan`, runAt: new Date(T) }]);
    // Worker A leases the job and dies before completing it.
    const [leased] = await data.jobs.lease("worker-a", new Date(T), 30_000, 10);
    expect(leased).toMatchObject({ key: `${kind}:orphan`, status: "running", lockedBy: "worker-a" });
    const b = schedulerOn(data, clock, [recordingHandler(kind)], { workerId: "worker-b" });
    expect(await b.runDue()).toMatchObject({ done: 0 });
    clock.advance(30_000);
    expect(await b.runDue()).toMatchObject({ done: 1 });
    expect(await ranKeys(kind)).toEqual([`${kind}:orphan`]);
    // A comes back: its completion no longer counts, and nothing runs twice.
    expect(await data.jobs.complete([leased.id], "worker-a", new Date(clock.now()))).toBe(0);
    clock.advance(60 * MINUTE);
    expect(await b.runDue()).toMatchObject({ done: 0 });
    expect(await ranKeys(kind)).toEqual([`${kind}:orphan`]);
  });

  it("a kind that declares a longer lease keeps its jobs from being taken over while it runs", async () => {
    const kind = uniqueKind();
    const clock = new ManualClock(T);
    await data.jobs.schedule([{ kind, key: `${kind}:long`, runAt: new Date(T) }]);
    let seenLease: Date | null = null;
    const scheduler = schedulerOn(
      data,
      clock,
      [
        {
          kind,
          leaseMs: 30 * MINUTE,
          async run(scope, jobs) {
            seenLease = (await scope.stores.jobs.list({ statuses: ["running"], limit: 1000 })).find(
              (j) => j.id === jobs[0].id,
            )!.lockedUntil;
          },
        },
      ],
      { leaseMs: MINUTE },
    );
    expect(await scheduler.runDue()).toMatchObject({ done: 1 });
    expect(seenLease).toEqual(new Date(T + 30 * MINUTE));
  });

  it("a job with no handler fails at once with a clear error", async () => {
    const kind = uniqueKind();
    await data.jobs.schedule([{ kind, key: `${kind}:x`, runAt: new Date(T) }]);
    const scheduler = schedulerOn(data, new ManualClock(T), []);
    expect(await scheduler.runDue()).toMatchObject({ failed: 1 });
    const [failed] = (await data.jobs.list({ statuses: ["failed"], limit: 1000 })).filter(
      (j) => j.kind === kind,
    );
    expect(failed.lastError).toBe(`no handler for job kind ${kind}`);
  });
});

describe.runIf(TEST_ENGINES.some((e) => e.name === "postgres"))(
  "scheduler with several workers on one PostgreSQL",
  () => {
    const engine = TEST_ENGINES.find((e) => e.name === "postgres")!;
    let handle: DatabaseHandle;
    let data: DataAccess;
    beforeAll(async () => {
      handle = await engine.open();
      data = createDataAccess(handle.db, systemClock);
    });
    afterAll(() => handle.close());

    /** A second connection pool on the same schema: what another Perkwise process would have. */
    async function secondProcess() {
      return openDatabase({ url: process.env.TEST_DATABASE_URL!, schema: handle.schema, poolSize: 4 });
    }

    it("two processes with concurrent workers run each of 600 jobs exactly once", async () => {
      const kind = "shared";
      const clock = new ManualClock(T);
      await data.jobs.schedule(
        Array.from({ length: 600 }, (_, i) => ({ kind, key: `shared:${i}`, runAt: new Date(T - i) })),
      );
      const other = await secondProcess();
      try {
        const handler = recordingHandler(kind);
        const a = schedulerOn(data, clock, [handler], { workerId: "a", batchSize: 25, concurrency: 3 });
        const b = schedulerOn(createDataAccess(other.db, systemClock), clock, [handler], {
          workerId: "b",
          batchSize: 25,
          concurrency: 3,
        });
        const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
        expect(ra.done + rb.done).toBe(600);
        expect(ra.done).toBeGreaterThan(0);
        expect(rb.done).toBeGreaterThan(0);
        const rows = await handle.db
          .selectFrom("outbox")
          .select("payload")
          .where("type", "=", "ran.shared")
          .execute();
        const keys = rows.map((r) => (r.payload as { key: string }).key);
        expect(keys).toHaveLength(600);
        expect(new Set(keys).size).toBe(600);
      } finally {
        await other.close();
      }
    });

    it("a worker that overran its lease has its effects rolled back: the job takes effect once", async () => {
      const kind = "overrun";
      const clock = new ManualClock(T);
      await data.jobs.schedule([{ kind, key: "overrun:1", runAt: new Date(T) }]);
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started!: () => void;
      const hasStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      const slow = schedulerOn(
        data,
        clock,
        [
          recordingHandler(kind, async () => {
            started();
            await stalled;
          }),
        ],
        { workerId: "slow", leaseMs: 30_000 },
      );
      const other = await secondProcess();
      try {
        const slowRun = slow.runDue();
        await hasStarted;
        clock.advance(30_000);
        const fast = schedulerOn(createDataAccess(other.db, systemClock), clock, [recordingHandler(kind)], {
          workerId: "fast",
        });
        expect(await fast.runDue()).toMatchObject({ done: 1 });
        release();
        expect(await slowRun).toMatchObject({ done: 0, lost: 1 });
        const rows = await handle.db
          .selectFrom("outbox")
          .select("id")
          .where("type", "=", `ran.${kind}`)
          .execute();
        expect(rows).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  },
);

describe("jobs survive a restart", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "perkwise-jobs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a job that fell due while the server was down runs when the scheduler starts", async () => {
    const first = await openDatabase({ dataDir: dir });
    await migrateToLatest(first);
    await createDataAccess(first.db, systemClock).jobs.schedule([
      { kind: "restart", key: "restart:1", runAt: new Date(T + 60 * MINUTE) },
    ]);
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    try {
      const data = createDataAccess(second.db, systemClock);
      const scheduler = schedulerOn(data, new ManualClock(T + 2 * 60 * MINUTE), [
        recordingHandler("restart"),
      ]);
      scheduler.start();
      await scheduler.stop();
      const [done] = await data.jobs.list({ statuses: ["done"], limit: 10 });
      expect(done).toMatchObject({ key: "restart:1", attempts: 1 });
    } finally {
      await second.close();
    }
  });
});
