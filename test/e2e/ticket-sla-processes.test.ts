import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { runSchedulerProcess } from "../support/run-scheduler-process.js";
import { TEST_ENGINES } from "../test-database.js";

const postgres = TEST_ENGINES.find((e) => e.name === "postgres");

/**
 * Two Perkwise processes on one PostgreSQL run the SLA jobs at the same instant: every ticket is
 * warned, breached and escalated exactly once.
 */
describe.runIf(postgres)("ticket SLA jobs in two processes on one PostgreSQL", () => {
  let s: TestServer;
  beforeAll(async () => {
    // Tuesday 24 Nov 2026, 10:00 in Shanghai: the default policy's 8 business hours end Wednesday 10:00.
    s = await TestServer.start(postgres!, Date.parse("2026-11-24T02:00:00Z"));
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s?.stop());

  const schedulerProcess = (worker: string, now: number) =>
    runSchedulerProcess(s.database.schema, worker, now);

  it("warns, breaches and escalates each ticket once", async () => {
    const tickets: string[] = [];
    for (let i = 0; i < 15; i++) {
      const memberId = `sla-twin-${i}`;
      await s.createMember(memberId);
      const token = await s.memberToken(memberId);
      const res = await s.request("POST", "/v1/me/tickets", {
        auth: token,
        body: { expected: "a", actual: "b" },
      });
      tickets.push(res.body.ticketId);
    }
    // Wednesday 09:30 in Shanghai: within the warning hour.
    const warnAt = Date.parse("2026-11-25T01:30:00Z");
    await Promise.all(["proc-a", "proc-b"].map((worker) => schedulerProcess(worker, warnAt)));
    // Wednesday 10:30 in Shanghai: past the first response, before the next target. The warning (09:00)
    const at = Date.parse("2026-11-25T02:30:00Z");
    const [a, b] = await Promise.all(["proc-a", "proc-b"].map((worker) => schedulerProcess(worker, at)));
    expect(a.lost + b.lost + a.failed + b.failed).toBe(0);
    const { rows } = await sql<{ kind: string; n: number }>`
      select kind, count(*)::int as n from ticket_events
      where kind in ('sla_warning', 'sla_breached', 'escalated') group by kind order by kind`.execute(
      s.database.db,
    );
    expect(rows).toEqual([
      { kind: "escalated", n: tickets.length },
      { kind: "sla_breached", n: tickets.length },
      { kind: "sla_warning", n: tickets.length },
    ]);
    const levels = await sql<{ level: number; n: number }>`
      select level, count(*)::int as n from tickets group by level`.execute(s.database.db);
    expect(levels.rows).toEqual([{ level: 2, n: tickets.length }]);
    const { rows: outbox } = await sql<{ n: number }>`
      select count(*)::int as n from outbox where type = 'ticket.escalated'`.execute(s.database.db);
    expect(outbox[0].n).toBe(tickets.length);
  }, 120_000);
});
