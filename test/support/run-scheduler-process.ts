import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { RunSummary } from "../../src/jobs/scheduler.js";

const run = promisify(execFile);

/**
 * Runs test/support/scheduler-process.ts as its own OS process: one scheduler pass as `worker` on
 * `schema` of TEST_DATABASE_URL at `now`, with any extra environment (a provider's configuration).
 */
export async function runSchedulerProcess(
  schema: string,
  worker: string,
  now: number,
  env: Record<string, string> = {},
): Promise<RunSummary> {
  const { stdout } = await run("node", ["--import", "tsx", "test/support/scheduler-process.ts"], {
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      SCHEMA: schema,
      NOW: String(now),
      WORKER: worker,
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}
