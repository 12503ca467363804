import { type JobOverview, jobOverview } from "../jobs/job-overview.js";
import type { JobRecord } from "../jobs/job-store.js";
import { withApp } from "./open.js";

function row(job: JobRecord): string {
  const error = job.lastError ? `  error: ${job.lastError}` : "";
  return `  ${job.runAt.toISOString()}  ${job.kind.padEnd(20)} ${job.status.padEnd(8)} attempts ${job.attempts}/${job.maxAttempts}  ${job.key}${error}`;
}

/** The overview as text: counts, then each list under its heading. */
export function describeJobs(view: JobOverview): string {
  const { counts } = view;
  const lines = [
    `jobs: ${counts.pending} pending, ${counts.running} running, ${counts.done} done, ${counts.failed} failed`,
  ];
  const section = (title: string, jobs: JobRecord[]) => {
    if (jobs.length > 0) lines.push(`${title}:`, ...jobs.map(row));
  };
  section("due now", view.due);
  section("failed", view.failed);
  section("upcoming", view.upcoming);
  if (view.due.length === 0 && view.failed.length === 0) lines.push("nothing is due and nothing has failed");
  return lines.join("\n");
}

/** `perkwise jobs [--all] [--json]`: due and failed jobs (with --all, upcoming ones too). */
export async function jobs(options: { all: boolean; json: boolean }) {
  const view = await withApp((app) =>
    jobOverview(app.data.jobs, app.clock.now(), { upcoming: options.all, limit: 50 }),
  );
  console.log(options.json ? JSON.stringify(view, null, 2) : describeJobs(view));
  return 0;
}
