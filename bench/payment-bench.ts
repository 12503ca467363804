/**
 * Payment ingestion over HTTP: signed `payment.succeeded` events for distinct, pre-created orders of a
 * plan whose tier has 10 benefits (10 grants per event), then read-your-writes on a sample.
 * Budgets (DESIGN.md): ≥ 200 events/s on PGlite, ≥ 1,000 events/s on PostgreSQL; after a payment's
 * response, the next check is allowed — always (0 violations).
 * PostgreSQL runs when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, in a fresh schema dropped afterwards.
 * Run alone: `node --import tsx bench/payment-bench.ts [pglite|postgres]`.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { IMMEDIATE_BENEFITS } from "./lib/bench-catalog.js";
import { withSchema } from "./lib/bench-schema.js";
import { processCpuMs, spawnServer } from "./lib/child.js";
import { JsonClient, pool } from "./lib/http-client.js";
import { createPendingOrders, type PendingOrder } from "./lib/pending-orders.js";
import {
  type BudgetRow,
  budgetRow,
  fmtNumber,
  formatRow,
  machineBusy,
  machineCpuTicks,
} from "./lib/report.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export type Engine = "pglite" | "postgres";

interface EngineSetup {
  budget: number;
  /** Distinct orders paid in the timed part. */
  events: number;
  warmup: number;
  /** Payments followed by an immediate check (read-your-writes). */
  sample: number;
  concurrency: number;
}

export const PAYMENT_SETUP: Record<Engine, EngineSetup> = {
  pglite: { budget: 200, events: 1000, warmup: 100, sample: 200, concurrency: 8 },
  postgres: { budget: 1_000, events: 4000, warmup: 200, sample: 200, concurrency: 32 },
};

/** The PostgreSQL URL the benchmark may use, if any. */
export function benchDatabaseUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

export interface PaymentBenchResult {
  engine: Engine;
  eventsPerSec: number;
  events: number;
  failed: number;
  elapsedMs: number;
  precreateMs: number;
  /** Perkwise server CPU per applied event (µs) and its share of one core; null without /proc. */
  serverCpuUsPerEvent: number | null;
  serverBusy: number | null;
  /** Share of all cores busy during the timed part (server, database, this process, anything else). */
  machineBusy: number | null;
  concurrency: number;
  readYourWrites: { sample: number; violations: number; preCheckDenied: number; payFailures: number };
  rows: BudgetRow[];
}

type Order = PendingOrder;

interface SignedEvent {
  body: string;
  headers: Record<string, string>;
}

/** Signs a payment event the way a provider does (Standard Webhooks), with the current time. */
function signPayment(webhook: Webhook, order: Order, webhookId: string): SignedEvent {
  const body = JSON.stringify({
    type: "payment.succeeded",
    data: { orderId: order.orderId, amount: order.amount },
  });
  const at = new Date();
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": webhookId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": webhook.sign(webhookId, at, body),
    },
  };
}

export async function benchPayments(engine: Engine, url = benchDatabaseUrl()): Promise<PaymentBenchResult> {
  if (engine === "postgres") {
    if (!url) throw new Error("no BENCH_DATABASE_URL or TEST_DATABASE_URL");
    return withSchema(url, (schema) =>
      runPayments(engine, { BENCH_SERVER_DATABASE_URL: url, BENCH_SERVER_DATABASE_SCHEMA: schema }),
    );
  }
  return runPayments(engine, {});
}

async function runPayments(engine: Engine, dbEnv: Record<string, string>): Promise<PaymentBenchResult> {
  const setup = PAYMENT_SETUP[engine];
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const server = await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
    ...dbEnv,
    BENCH_SERVER_CATALOG: "bench",
    BENCH_SERVER_PAYMENT_SECRET: secret,
  });
  const client = new JsonClient(server.info.url, Math.max(setup.concurrency, 16));
  try {
    const auth = { authorization: `Bearer ${server.info.apiKey}`, "content-type": "application/json" };
    const webhook = new Webhook(secret);
    const run = randomBytes(3).toString("hex");

    // Members and orders first, untimed: the timed part only pays.
    const total = setup.warmup + setup.events + setup.sample;
    const t0 = performance.now();
    const orders = await createPendingOrders(client, server.info.apiKey, `bench-${run}`, total);
    const precreateMs = performance.now() - t0;

    const warmupOrders = orders.slice(0, setup.warmup);
    const timedOrders = orders.slice(setup.warmup, setup.warmup + setup.events);
    const sampleOrders = orders.slice(setup.warmup + setup.events);
    let failed = 0;
    let firstFailure = "";
    const pay = async (event: SignedEvent) => {
      const res = await client.send("POST", "/v1/payments/events", event.body, event.headers);
      const ok = res.status === 200 && res.body?.outcome === "applied";
      if (!ok && !firstFailure) firstFailure = `${res.status} ${JSON.stringify(res.body)}`;
      return ok;
    };

    const warmupEvents = warmupOrders.map((o, i) => signPayment(webhook, o, `msg_${run}_w${i}`));
    await pool(warmupEvents, setup.concurrency, async (e) => {
      if (!(await pay(e))) failed++;
    });

    // Timed: signed beforehand (well inside the 5-minute tolerance), so signing costs the server only.
    const timedEvents = timedOrders.map((o, i) => signPayment(webhook, o, `msg_${run}_t${i}`));
    const serverCpu0 = processCpuMs(server.pid);
    const machine0 = machineCpuTicks();
    const t1 = performance.now();
    await pool(timedEvents, setup.concurrency, async (e) => {
      if (!(await pay(e))) failed++;
    });
    const elapsedMs = performance.now() - t1;
    const serverCpu1 = processCpuMs(server.pid);
    const machineBusyShare = machineBusy(machine0, machineCpuTicks());
    const applied = timedEvents.length - failed;
    const eventsPerSec = applied / (elapsedMs / 1000);
    const serverCpuUsPerEvent =
      serverCpu0 !== null && serverCpu1 !== null && applied > 0
        ? ((serverCpu1 - serverCpu0) * 1000) / applied
        : null;
    const serverBusy =
      serverCpu0 !== null && serverCpu1 !== null ? (serverCpu1 - serverCpu0) / elapsedMs : null;
    const cpuText =
      (serverBusy === null
        ? ""
        : `; server ${(serverBusy * 100).toFixed(0)}% of a core, ${fmtNumber(serverCpuUsPerEvent ?? 0)} µs CPU/event`) +
      (machineBusyShare === null ? "" : `; machine ${(machineBusyShare * 100).toFixed(0)}% busy`);

    // Read-your-writes: a check caches the pending state, the payment races another check, and the
    // check sent after the payment's response must be allowed.
    let violations = 0;
    let preCheckDenied = 0;
    let payFailures = 0;
    const check = async (memberId: string, benefit: string) => {
      const res = await client.send("POST", "/v1/check", JSON.stringify({ memberId, benefit }), auth);
      if (res.status !== 200) throw new Error(`check ${memberId}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { allowed: boolean; reasons: Array<{ code: string }> };
    };
    await pool(sampleOrders, Math.min(setup.concurrency, 8), async (order, i) => {
      const benefit = IMMEDIATE_BENEFITS[i % IMMEDIATE_BENEFITS.length];
      const before = await check(order.memberId, benefit);
      if (!before.allowed && before.reasons[0]?.code === "PAYMENT_PENDING") preCheckDenied++;
      const [paid] = await Promise.all([
        pay(signPayment(webhook, order, `msg_${run}_s${i}`)),
        check(order.memberId, benefit),
      ]);
      if (!paid) payFailures++;
      const after = await check(order.memberId, benefit);
      if (!after.allowed) violations++;
    });

    const label = engine === "pglite" ? "PGlite" : "PostgreSQL";
    const rows = [
      budgetRow({
        id: engine === "pglite" ? "4a" : "4c",
        name: `payment.succeeded ingest, 10 grants each (${label})`,
        measured: failed > 0 ? null : eventsPerSec,
        unit: "events/s",
        direction: "min",
        budget: setup.budget,
        note:
          failed > 0
            ? `${failed} events not applied, first: ${firstFailure}`
            : `${fmtNumber(applied)} events in ${fmtNumber(elapsedMs)} ms, ${setup.concurrency} in flight${cpuText}; members+orders pre-created in ${fmtNumber(precreateMs)} ms`,
      }),
      budgetRow({
        id: engine === "pglite" ? "4b" : "4d",
        name: `read-your-writes after payment (${label})`,
        measured: payFailures > 0 ? null : violations,
        unit: "violations",
        direction: "max",
        budget: 0,
        note:
          payFailures > 0
            ? `${payFailures} sample payments not applied`
            : `${sampleOrders.length} payments, each: check (cached PAYMENT_PENDING: ${preCheckDenied}/${sampleOrders.length}), pay ∥ racing check, then check`,
      }),
    ];
    return {
      engine,
      eventsPerSec,
      events: applied,
      failed,
      elapsedMs,
      precreateMs,
      serverCpuUsPerEvent,
      serverBusy,
      machineBusy: machineBusyShare,
      concurrency: setup.concurrency,
      readYourWrites: { sample: sampleOrders.length, violations, preCheckDenied, payFailures },
      rows,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const engines: Engine[] = process.argv[2] ? [process.argv[2] as Engine] : ["pglite", "postgres"];
  for (const engine of engines) {
    if (engine === "postgres" && !benchDatabaseUrl()) {
      console.log("  [SKIP] PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL");
      continue;
    }
    const r = await benchPayments(engine);
    for (const row of r.rows) console.log(formatRow(row));
  }
}
