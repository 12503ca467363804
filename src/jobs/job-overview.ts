import type { JobRecord, JobStatus, JobStore } from "./job-store.js";

export interface JobOverview {
  counts: Record<JobStatus, number>;
  /** Pending jobs already due (a backlog), and running ones. */
  due: JobRecord[];
  failed: JobRecord[];
  /** Pending jobs not yet due, soonest first (only when asked for). */
  upcoming: JobRecord[];
}

/** What `perkwise jobs` shows: the backlog, what failed for good, and optionally what comes next. */
export async function jobOverview(
  jobs: JobStore,
  now: number,
  options: { upcoming: boolean; limit: number },
) {
  const [counts, unfinished, failed] = await Promise.all([
    jobs.counts(),
    jobs.list({ statuses: ["pending", "running"], limit: options.limit * 2 }),
    jobs.list({ statuses: ["failed"], limit: options.limit }),
  ]);
  const due = unfinished.filter((j) => j.status === "running" || j.runAt.getTime() <= now);
  const upcoming = options.upcoming ? unfinished.filter((j) => !due.includes(j)) : [];
  return {
    counts,
    due: due.slice(0, options.limit),
    failed,
    upcoming: upcoming.slice(0, options.limit),
  } satisfies JobOverview;
}
