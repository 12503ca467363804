/**
 * The support desk over HTTP (issue 16), one Perkwise server in a child process:
 * - the queue: 100,000 open tickets bulk-loaded with SQL (their SLA clocks and due times computed by
 *   the desk's own code), then the first page of `GET /v1/tickets?sort=due`, sequentially; p99 ≤ 50 ms
 *   on PostgreSQL;
 * - opening a ticket with full evidence (benefit, pending order, when/where/expected/actual: the
 *   diagnosis, the order and its payment events frozen at opening), `POST /v1/members/{id}/tickets`,
 *   sequentially; p99 ≤ 30 ms on PGlite and on PostgreSQL.
 * PostgreSQL runs in a fresh schema, dropped afterwards. Run alone: `node --import tsx bench/tickets-bench.ts`.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { readClocks, soonestDue } from "../src/tickets/sla-state.js";
import { DEFAULT_SUPPORT_POLICY } from "../src/tickets/support-policy.js";
import { PRIORITIES } from "../src/tickets/ticket-types.js";
import { withSchema } from "./lib/bench-schema.js";
import { processCpuMs, spawnServer } from "./lib/child.js";
import { JsonClient } from "./lib/http-client.js";
import { createPendingOrders, type PendingOrder } from "./lib/pending-orders.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import { benchDatabaseUrl, type Engine } from "./payment-bench.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export const TICKETS_SETUP = {
  queueTickets: 100_000,
  queueMembers: 100,
  queueRequests: 1_000,
  queueWarmup: 100,
  queueBudgetP99Ms: 50,
  opens: 500,
  openWarmup: 50,
  openMembers: 20,
  openBudgetP99Ms: 30,
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function latencies(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** The server's own CPU per request: what the code costs, apart from waiting for a busy machine. */
function serverCpuText(cpu0: number | null, cpu1: number | null, requests: number) {
  return cpu0 === null || cpu1 === null
    ? ""
    : `; server CPU ${((cpu1 - cpu0) / requests).toFixed(1)} ms/request`;
}

async function startServer(dbEnv: Record<string, string>) {
  const adminKey = `pwadmin_${randomBytes(24).toString("base64url")}`;
  const server = await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
    ...dbEnv,
    BENCH_SERVER_CATALOG: "bench",
    BENCH_SERVER_ADMIN_KEY: adminKey,
  });
  const client = new JsonClient(server.info.url, 16);
  const json = { "content-type": "application/json" };
  return {
    server,
    client,
    service: { ...json, authorization: `Bearer ${server.info.apiKey}` },
    admin: { ...json, authorization: `Bearer ${adminKey}` },
  };
}

function openBody(order: PendingOrder, i: number) {
  return JSON.stringify({
    benefit: "bench_feature_1",
    orderId: order.orderId,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    where: "App → Member centre → Bench feature 1",
    expected: `Paid order ${order.orderId}; Bench feature 1 should be unlocked (bench #${i}).`,
    actual: "The feature is still locked and the app says the payment is being processed.",
  });
}

async function timedOpens(
  client: JsonClient,
  headers: Record<string, string>,
  orders: PendingOrder[],
  count: number,
  offset: number,
) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const order = orders[i % orders.length];
    const body = openBody(order, offset + i);
    const t0 = performance.now();
    const res = await client.send("POST", `/v1/members/${order.memberId}/tickets`, body, headers);
    times.push(performance.now() - t0);
    if (res.status !== 201) throw new Error(`open ticket: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return times;
}

/** Opening a ticket with full evidence, over HTTP, on one engine. */
export async function benchTicketOpen(engine: Engine, url = benchDatabaseUrl()): Promise<BudgetRow[]> {
  const run = async (dbEnv: Record<string, string>) => {
    const { server, client, service } = await startServer(dbEnv);
    try {
      const orders = await createPendingOrders(
        client,
        server.info.apiKey,
        `bench-tkt-${randomBytes(3).toString("hex")}`,
        TICKETS_SETUP.openMembers,
      );
      await timedOpens(client, service, orders, TICKETS_SETUP.openWarmup, 0);
      const cpu0 = processCpuMs(server.pid);
      const t0 = performance.now();
      const times = await timedOpens(client, service, orders, TICKETS_SETUP.opens, TICKETS_SETUP.openWarmup);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = serverCpuText(cpu0, processCpuMs(server.pid), TICKETS_SETUP.opens);
      const l = latencies(times);
      // Each member gathers tickets (and timeline entries) as the run goes: does opening slow down?
      const early = latencies(times.slice(0, 100)).p50;
      const late = latencies(times.slice(-100)).p50;
      const label = engine === "pglite" ? "PGlite" : "PostgreSQL";
      return [
        budgetRow({
          id: engine === "pglite" ? "14b" : "14c",
          name: `open a ticket with full evidence, POST /v1/members/{id}/tickets p99 (${label})`,
          measured: l.p99,
          unit: "ms",
          direction: "max",
          budget: TICKETS_SETUP.openBudgetP99Ms,
          note: `p50 ${l.p50.toFixed(2)} ms, max ${l.max.toFixed(2)} ms; ${fmtNumber(TICKETS_SETUP.opens)} sequential (${TICKETS_SETUP.openWarmup} warm-up), ${fmtNumber(TICKETS_SETUP.opens / seconds)}/s; benefit + pending order + when/where/expected/actual over ${TICKETS_SETUP.openMembers} members; p50 of the first 100 ${early.toFixed(1)} ms, of the last 100 ${late.toFixed(1)} ms${cpu}`,
        }),
      ];
    } finally {
      client.close();
      await server.stop();
    }
  };
  if (engine === "pglite") return run({});
  if (!url) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  return withSchema(url, (schema) =>
    run({ BENCH_SERVER_DATABASE_URL: url, BENCH_SERVER_DATABASE_SCHEMA: schema }),
  );
}

/**
 * 100,000 open tickets copied from one opened through the API, each with its own opening instant
 * (over the last 30 days), priority, SLA clocks and due time as the desk computes them.
 */
async function seedQueue(url: string, schema: string, template: string, members: string[]) {
  const n = TICKETS_SETUP.queueTickets;
  const now = Date.now();
  const ids: string[] = [];
  const memberIds: string[] = [];
  const priorities: string[] = [];
  const opened: number[] = [];
  const slas: string[] = [];
  const dues: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = now - Math.floor((((i * 7919) % n) / n) * 30 * 86_400_000);
    const priority = PRIORITIES[i % PRIORITIES.length];
    const sla = {
      resolution: { cycle: 1, spans: [{ start: at, end: null }] },
      response: { target: "first_response" as const, cycle: 1, spans: [{ start: at, end: null }] },
      responseCycles: 1,
    };
    const clocks = readClocks(
      { sla, status: "open", priority, promisedBy: null },
      DEFAULT_SUPPORT_POLICY,
      now,
    );
    ids.push(`tkt_bench${String(i).padStart(7, "0")}`);
    memberIds.push(members[i % members.length]);
    priorities.push(priority);
    opened.push(at);
    slas.push(JSON.stringify(sla));
    dues.push(soonestDue(clocks) ?? now);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`set search_path to ${schema}`);
    const t0 = performance.now();
    await client.query(
      `insert into tickets (id, member_id, benefit, order_id, occurred_at, place, expected, actual, status,
         priority, level, opened_by, sla, due_at, breached, created_at, updated_at)
       select s.id, s.member_id, t.benefit, null, t.occurred_at, t.place, t.expected, t.actual, 'open',
         s.priority, 1, t.opened_by, s.sla::jsonb, to_timestamp(s.due / 1000.0), s.due < $7,
         to_timestamp(s.opened / 1000.0), to_timestamp(s.opened / 1000.0)
       from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::float8[])
         as s(id, member_id, priority, opened, sla, due)
       cross join (select * from tickets where id = $8) t`,
      [ids, memberIds, priorities, opened, slas, dues, now, template],
    );
    await client.query("analyze tickets");
    const plan = await client.query("explain select * from tickets order by due_at, id limit 51");
    return { seedMs: performance.now() - t0, plan: plan.rows.map((r) => r["QUERY PLAN"]).join(" / ") };
  } finally {
    await client.end();
  }
}

export interface TicketQueueResult {
  tickets: number;
  seedMs: number;
  plan: string;
  p50Ms: number;
  p99Ms: number;
  rows: BudgetRow[];
}

/** The queue's first page over 100,000 open tickets, PostgreSQL only. */
export async function benchTicketQueue(url = benchDatabaseUrl()): Promise<TicketQueueResult> {
  if (!url) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  return withSchema(url, async (schema) => {
    const { server, client, service, admin } = await startServer({
      BENCH_SERVER_DATABASE_URL: url,
      BENCH_SERVER_DATABASE_SCHEMA: schema,
    });
    try {
      const orders = await createPendingOrders(
        client,
        server.info.apiKey,
        `bench-queue-${randomBytes(3).toString("hex")}`,
        TICKETS_SETUP.queueMembers,
      );
      const first = await client.send(
        "POST",
        `/v1/members/${orders[0].memberId}/tickets`,
        openBody(orders[0], 0),
        service,
      );
      if (first.status !== 201) throw new Error(`open ticket: ${first.status} ${JSON.stringify(first.body)}`);
      const seeded = await seedQueue(
        url,
        schema,
        first.body.ticketId,
        orders.map((o) => o.memberId),
      );
      const get = async () => {
        const t0 = performance.now();
        const res = await client.send("GET", "/v1/tickets?sort=due", undefined, admin);
        const ms = performance.now() - t0;
        if (res.status !== 200 || res.body.tickets.length !== 50 || !res.body.nextCursor)
          throw new Error(`queue: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        return ms;
      };
      for (let i = 0; i < TICKETS_SETUP.queueWarmup; i++) await get();
      const times: number[] = [];
      const cpu0 = processCpuMs(server.pid);
      const t0 = performance.now();
      for (let i = 0; i < TICKETS_SETUP.queueRequests; i++) times.push(await get());
      const seconds = (performance.now() - t0) / 1000;
      const cpu = serverCpuText(cpu0, processCpuMs(server.pid), TICKETS_SETUP.queueRequests);
      const l = latencies(times);
      const rows = [
        budgetRow({
          id: "14a",
          name: "ticket queue first page, GET /v1/tickets?sort=due, 100,000 open (PostgreSQL)",
          measured: l.p99,
          unit: "ms",
          direction: "max",
          budget: TICKETS_SETUP.queueBudgetP99Ms,
          note: `p50 ${l.p50.toFixed(2)} ms, max ${l.max.toFixed(2)} ms; ${fmtNumber(TICKETS_SETUP.queueRequests)} sequential pages of 50 (${TICKETS_SETUP.queueWarmup} warm-up), ${fmtNumber(TICKETS_SETUP.queueRequests / seconds)}/s; ${fmtNumber(TICKETS_SETUP.queueTickets)} tickets seeded by SQL in ${fmtNumber(seeded.seedMs)} ms${cpu}; plan: ${seeded.plan.split(" / ").slice(0, 2).join(" / ")}`,
        }),
      ];
      return { tickets: TICKETS_SETUP.queueTickets, ...seeded, p50Ms: l.p50, p99Ms: l.p99, rows };
    } finally {
      client.close();
      await server.stop();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchTicketOpen("pglite");
  if (benchDatabaseUrl()) {
    rows.push(...(await benchTicketOpen("postgres")));
    rows.push(...(await benchTicketQueue()).rows);
  }
  for (const row of rows) console.log(formatRow(row));
}
