/**
 * A job to schedule, and its row. Other features describe their jobs with NewJob; the row builder is
 * shared so that a membership and its jobs are inserted in one statement (docs/performance.md).
 */
export interface NewJob {
  kind: string;
  /** Unique: a job already scheduled under this key is not scheduled again. */
  key: string;
  memberId?: string | null;
  runAt: Date;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

export function jobRow(job: NewJob) {
  return {
    kind: job.kind,
    key: job.key,
    member_id: job.memberId ?? null,
    run_at: job.runAt,
    payload: JSON.stringify(job.payload ?? {}),
    status: "pending",
    max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}
