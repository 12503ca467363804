/**
 * SLA due-time computation in process: `addBusinessTime` over the default desk calendar (Asia/Shanghai,
 * two intervals a weekday, China's public holidays and make-up working days from `chinese-days`),
 * from starts spread over 2025–2026 (holidays and 调休 included) with the policy's targets (1 h–80 h).
 * Also reports the tickets' full clock reading (`readClocks`: response and resolution targets).
 * Budget (issue 16): ≥ 100,000 due times/s. Run alone: `node --import tsx bench/sla-bench.ts`.
 */
import { fileURLToPath } from "node:url";
import { readClocks, soonestDue } from "../src/tickets/sla-state.js";
import { businessMs, DEFAULT_SUPPORT_POLICY } from "../src/tickets/support-policy.js";
import { PRIORITIES } from "../src/tickets/ticket-types.js";
import { addBusinessTime } from "../src/time/business-time.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";

export const SLA_SETUP = { computations: 200_000, warmup: 20_000, budgetPerSec: 100_000 };

const FROM = Date.parse("2025-01-01T00:00:00Z");
const SPAN = Date.parse("2026-12-01T00:00:00Z") - FROM;

/** A deterministic spread of start instants (minute precision) and the policy's targets. */
function inputs(n: number) {
  const targets = PRIORITIES.flatMap((p) => {
    const t = DEFAULT_SUPPORT_POLICY.priorities[p];
    return [t.firstResponse, t.nextResponse, t.resolution].map(businessMs);
  });
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  const starts = new Float64Array(n);
  const durations = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = FROM + Math.floor((next() * SPAN) / 60_000) * 60_000;
    durations[i] = targets[i % targets.length];
  }
  return { starts, durations };
}

export interface SlaBenchResult {
  computations: number;
  perSecond: number;
  clockReadsPerSecond: number;
  checksum: number;
  rows: BudgetRow[];
}

export async function benchSla(): Promise<SlaBenchResult> {
  const calendar = DEFAULT_SUPPORT_POLICY.calendar;
  const { starts, durations } = inputs(SLA_SETUP.computations);
  let checksum = 0;
  for (let i = 0; i < SLA_SETUP.warmup; i++) checksum += addBusinessTime(calendar, starts[i], durations[i]);
  const t0 = performance.now();
  for (let i = 0; i < SLA_SETUP.computations; i++)
    checksum += addBusinessTime(calendar, starts[i], durations[i]) - starts[i];
  const seconds = (performance.now() - t0) / 1000;
  const perSecond = SLA_SETUP.computations / seconds;

  // A ticket's whole reading: two running targets, read an hour after opening.
  const reads = SLA_SETUP.computations / 4;
  const t1 = performance.now();
  for (let i = 0; i < reads; i++) {
    const start = starts[i];
    const ticket = {
      sla: {
        resolution: { cycle: 1, spans: [{ start, end: null }] },
        response: { target: "first_response" as const, cycle: 1, spans: [{ start, end: null }] },
        responseCycles: 1,
      },
      status: "open" as const,
      priority: PRIORITIES[i % PRIORITIES.length],
      promisedBy: null,
    };
    checksum += soonestDue(readClocks(ticket, DEFAULT_SUPPORT_POLICY, start + 3_600_000)) ?? 0;
  }
  const clockReadsPerSecond = reads / ((performance.now() - t1) / 1000);
  const rows = [
    budgetRow({
      id: "14d",
      name: "SLA due time, addBusinessTime, CN calendar (in process)",
      measured: perSecond,
      unit: "due times/s",
      direction: "min",
      budget: SLA_SETUP.budgetPerSec,
      note: `${fmtNumber(SLA_SETUP.computations)} targets of 1–80 business hours from starts over 2025–2026 (Asia/Shanghai, 09–12 + 13–18 weekdays, holidays and 调休); a ticket's full clock reading (2 targets): ${fmtNumber(clockReadsPerSecond)}/s`,
    }),
  ];
  return { computations: SLA_SETUP.computations, perSecond, clockReadsPerSecond, checksum, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchSla();
  for (const row of result.rows) console.log(formatRow(row));
  console.log(JSON.stringify({ ...result, rows: undefined }, null, 2));
}
