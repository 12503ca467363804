/** Budget rows, the machine header and the summary table shared by every benchmark. */
import { readFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";

export type Verdict = "PASS" | "FAIL" | "SKIP" | "ERROR";

/** One budget from DESIGN.md, measured once. */
export interface BudgetRow {
  /** Short id, e.g. "1a". */
  id: string;
  name: string;
  /** The measured figure; null when skipped or failed to run. */
  measured: number | null;
  unit: string;
  /** `min`: measured ≥ budget; `max`: measured ≤ budget (`strict`: <). */
  direction: "min" | "max";
  strict?: boolean;
  budget: number;
  verdict: Verdict;
  /** What the figure is made of (baseline, counts, why skipped). */
  note?: string;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown cpu",
    cores: list.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** Builds a row and decides its verdict; a null measurement is an ERROR unless marked SKIP. */
export function budgetRow(row: Omit<BudgetRow, "verdict"> & { verdict?: Verdict }): BudgetRow {
  if (row.verdict) return { ...row, verdict: row.verdict };
  if (row.measured === null || Number.isNaN(row.measured)) return { ...row, verdict: "ERROR" };
  const ok =
    row.direction === "min"
      ? row.measured >= row.budget
      : row.strict
        ? row.measured < row.budget
        : row.measured <= row.budget;
  return { ...row, verdict: ok ? "PASS" : "FAIL" };
}

/** measured ÷ budget; `min` rows pass at ≥ 1, `max` rows at ≤ 1. */
export function ratioOf(row: BudgetRow): number | null {
  if (row.measured === null || row.budget === 0) return null;
  return row.measured / row.budget;
}

export function fmtNumber(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtFigure(n: number | null, unit: string): string {
  if (n === null) return "—";
  const digits = Math.abs(n) >= 100 || Number.isInteger(n) ? 0 : 2;
  return `${fmtNumber(n, digits)} ${unit}`;
}

function fmtBudget(row: BudgetRow): string {
  const op = row.direction === "min" ? "≥" : row.strict ? "<" : "≤";
  return `${op} ${fmtFigure(row.budget, row.unit)}`;
}

function fmtRatio(row: BudgetRow): string {
  const r = ratioOf(row);
  return r === null ? "—" : `${r.toFixed(r >= 10 ? 1 : 2)}×`;
}

/** A one-line verdict for a row, printed as each benchmark finishes. */
export function formatRow(row: BudgetRow): string {
  return `  [${row.verdict}] ${row.id} ${row.name}: ${fmtFigure(row.measured, row.unit)} (budget ${fmtBudget(row)}, ratio ${fmtRatio(row)})${row.note ? ` — ${row.note}` : ""}`;
}

/** The final table: one line per budget, then a count of verdicts. */
export function summaryTable(rows: BudgetRow[]): string {
  const header = ["#", "benchmark", "measured", "budget", "ratio", "verdict"];
  const cells = rows.map((r) => [
    r.id,
    r.name,
    fmtFigure(r.measured, r.unit),
    fmtBudget(r),
    fmtRatio(r),
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const counts = (["PASS", "FAIL", "SKIP", "ERROR"] as const)
    .map((v) => `${rows.filter((r) => r.verdict === v).length} ${v}`)
    .join(", ");
  return [line(header), rule, ...cells.map(line), rule, counts].join("\n");
}

/** Busy and total CPU time of the whole machine so far (from /proc/stat), or null off Linux. */
export function machineCpuTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Share of all cores busy between two machineCpuTicks() readings. */
export function machineBusy(
  from: { busy: number; total: number } | null,
  to: { busy: number; total: number } | null,
): number | null {
  if (!from || !to || to.total === from.total) return null;
  return (to.busy - from.busy) / (to.total - from.total);
}

/** The 1-minute load average (it lags: a benchmark that just ended still shows). */
export function machineLoad(): { loadAverage1m: number } {
  return { loadAverage1m: loadavg()[0] };
}
