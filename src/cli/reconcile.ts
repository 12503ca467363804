import type { ReconcileProgress, ReconcileRunView } from "../reconcile/reconcile-service.js";
import { withApp } from "./open.js";

const BAR_WIDTH = 30;
const fmt = (n: number) => n.toLocaleString("en-US");

/** The summary table: one row per drift kind, then the total. */
export function describeRun(run: ReconcileRunView): string {
  const rows = [
    ["drift", "found", "repaired"],
    ...run.kinds.map((k) => [k.kind, fmt(k.found), run.fix ? fmt(k.repaired) : "-"]),
    ["total", fmt(run.found), run.fix ? fmt(run.repaired) : "-"],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}`;
  const rule = `${"-".repeat(widths[0])}  ${"-".repeat(widths[1])}  ${"-".repeat(widths[2])}`;
  const body = rows.map(line);
  const table = [body[0], rule, ...body.slice(1, -1), rule, body.at(-1)!].join("\n");
  const head = `reconcile ${run.id} (${run.fix ? "fix" : "dry run"}): ${fmt(run.membersScanned)} members scanned, ${run.status}`;
  let tail: string;
  if (run.remaining === 0) tail = run.found === 0 ? "no drift found" : "all drift repaired";
  else if (run.fix)
    tail = `${fmt(run.remaining)} finding(s) could not be repaired${run.error ? `: ${run.error}` : ""}`;
  else tail = `${fmt(run.remaining)} finding(s); run with --fix to repair`;
  const findings = run.findings
    .filter((f) => !f.repaired)
    .slice(0, 20)
    .map(
      (f) =>
        `  ${f.kind.padEnd(widths[0])}  ${f.memberId}${f.membershipId ? `  ${f.membershipId}` : ""}${f.orderId ? `  ${f.orderId}` : ""}`,
    );
  return [head, "", table, "", tail, ...(findings.length ? ["", "first findings:", ...findings] : [])].join(
    "\n",
  );
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal; otherwise (a log, a pipe) a plain line
 * each time another tenth of the members is scanned.
 */
export function progressReporter(stream: NodeJS.WriteStream): (p: ReconcileProgress) => void {
  const started = performance.now();
  let lastTenth = -1;
  return ({ scanned, total, found }) => {
    const share = total === 0 ? 1 : Math.min(1, scanned / total);
    const rate = scanned / Math.max(0.001, (performance.now() - started) / 1000);
    const text = `${fmt(scanned)}/${fmt(total)} members  ${(share * 100).toFixed(0)}%  ${fmt(Math.round(rate))}/s  ${fmt(found)} found`;
    if (stream.isTTY) {
      const filled = Math.round(share * BAR_WIDTH);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${text}\x1b[K`);
      if (share >= 1) stream.write("\n");
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      stream.write(`reconcile: ${text}\n`);
    }
  };
}

/** `perkwise reconcile [--fix] [--json]`: exit 0 when clean or all repaired, 1 when drift remains. */
export async function reconcile(options: { fix: boolean; json: boolean }): Promise<number> {
  const run = await withApp((app) =>
    app.reconcile.run({ fix: options.fix, trigger: "cli", onProgress: progressReporter(process.stderr) }),
  );
  console.log(options.json ? JSON.stringify(run, null, 2) : describeRun(run));
  if (run.status === "failed") return 1;
  return run.remaining === 0 ? 0 : 1;
}
