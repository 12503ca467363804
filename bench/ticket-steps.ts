/**
 * The support desk's benchmarks (14, issue 16), run by bench/run.ts through its step runner: the
 * queue's first page and opening a ticket over HTTP (bench/tickets-bench.ts), and the SLA due-time
 * computation in process (bench/sla-bench.ts).
 */
import type { StepRunner } from "./checkout-delivery-steps.js";
import { benchSla, SLA_SETUP } from "./sla-bench.js";
import { benchTicketOpen, benchTicketQueue, TICKETS_SETUP } from "./tickets-bench.js";

export async function runTicketSteps(has: (name: string) => boolean, runner: StepRunner): Promise<void> {
  if (!has("tickets")) return;
  const { step, postgresStep, details } = runner;
  await postgresStep(
    `14a. ticket queue, ${TICKETS_SETUP.queueTickets.toLocaleString("en-US")} open tickets, first page by due time, PostgreSQL (fresh schema)`,
    [
      {
        id: "14a",
        name: "ticket queue first page, GET /v1/tickets?sort=due, 100,000 open (PostgreSQL)",
        unit: "ms",
        direction: "max",
        budget: TICKETS_SETUP.queueBudgetP99Ms,
      },
    ],
    async () => {
      const r = await benchTicketQueue();
      details.ticketQueue = { ...r, rows: undefined };
      return r.rows;
    },
  );
  const open = (label: string, id: string) => ({
    id,
    name: `open a ticket with full evidence, POST /v1/members/{id}/tickets p99 (${label})`,
    unit: "ms",
    direction: "max" as const,
    budget: TICKETS_SETUP.openBudgetP99Ms,
  });
  await step("14b. opening a ticket with full evidence, PGlite in memory", [open("PGlite", "14b")], () =>
    benchTicketOpen("pglite"),
  );
  await postgresStep(
    "14c. opening a ticket with full evidence, PostgreSQL (fresh schema)",
    [open("PostgreSQL", "14c")],
    () => benchTicketOpen("postgres"),
  );
  await step(
    "14d. SLA due-time computation in process (bench/sla-bench.ts)",
    [
      {
        id: "14d",
        name: "SLA due time, addBusinessTime, CN calendar (in process)",
        unit: "due times/s",
        direction: "min",
        budget: SLA_SETUP.budgetPerSec,
      },
    ],
    async () => {
      const r = await benchSla();
      details.sla = { ...r, rows: undefined };
      return r.rows;
    },
  );
}
