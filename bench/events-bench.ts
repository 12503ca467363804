/**
 * Event streams (issue 6): payment accepted → `entitlements.changed` on an SSE stream, p50/p99 over
 * 1,000 payments — on one node (PGlite), and across two nodes on PostgreSQL (payments on node A, the
 * stream on node B) when BENCH_DATABASE_URL or TEST_DATABASE_URL is set; then 10,000 concurrent
 * streams on one process, each of which must receive the next event.
 * Budgets (issue 6): p50 ≤ 50 ms, p99 ≤ 250 ms; 10,000 streams without errors.
 * Run alone: `node --import tsx bench/events-bench.ts [latency|latency-2|connections]`.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { BENCH_PLAN } from "./lib/bench-catalog.js";
import { withSchema } from "./lib/bench-schema.js";
import { type ChildServer, spawnServer } from "./lib/child.js";
import { JsonClient, pool } from "./lib/http-client.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import { openSseStream, type SseStream } from "./lib/sse-stream.js";
import { benchDatabaseUrl } from "./payment-bench.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

export const EVENTS_SETUP = { payments: 1_000, warmup: 50, connections: 10_000, openConcurrency: 200 };

interface Order {
  memberId: string;
  orderId: string;
  amount: number;
}

export interface LatencyResult {
  payments: number;
  /** Payment response received → event received (0 when the event came first). */
  fromResponse: { p50: number; p99: number; max: number };
  /** Payment request sent → event received: includes the payment's own processing. */
  fromRequest: { p50: number; p99: number; max: number };
  missed: number;
}

export interface ConnectionsResult {
  connections: number;
  opened: number;
  refused: number;
  /** Streams that received the event triggered after all were open. */
  received: number;
  droppedEarly: number;
  openSeconds: number;
  fanOut: { p50: number; p99: number; max: number };
  serverRssMiB: number | null;
  serverRssBeforeMiB: number | null;
}

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function precreate(client: JsonClient, apiKey: string, count: number): Promise<Order[]> {
  const auth = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const run = randomBytes(3).toString("hex");
  const orders: Order[] = new Array(count);
  await pool([...Array(count).keys()], 16, async (i) => {
    const memberId = `ev-${run}-${i}`;
    const m = await client.send("PUT", `/v1/members/${memberId}`, "{}", auth);
    if (m.status !== 201) throw new Error(`member ${memberId}: ${m.status} ${JSON.stringify(m.body)}`);
    const o = await client.send("POST", "/v1/orders", JSON.stringify({ memberId, plan: BENCH_PLAN }), auth);
    if (o.status !== 201) throw new Error(`order: ${o.status} ${JSON.stringify(o.body)}`);
    orders[i] = { memberId, orderId: o.body.orderId, amount: o.body.amount.amount };
  });
  return orders;
}

async function pay(client: JsonClient, webhook: Webhook, order: Order): Promise<void> {
  const body = JSON.stringify({
    type: "payment.succeeded",
    data: { orderId: order.orderId, amount: order.amount },
  });
  const id = `msg_${order.orderId}`;
  const at = new Date();
  const res = await client.send("POST", "/v1/payments/events", body, {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": webhook.sign(id, at, body),
  });
  if (res.status !== 200) throw new Error(`payment: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Payments one after another on `writer`, an admin-key stream on `reader`: for each, the time from
 * the payment's request and response to the member's first `entitlements.changed` on the stream.
 */
async function measureLatency(
  writer: PerkwiseServerInfo,
  reader: PerkwiseServerInfo,
  secret: string,
): Promise<LatencyResult> {
  const client = new JsonClient(writer.url, 16);
  const webhook = new Webhook(secret);
  const { payments, warmup } = EVENTS_SETUP;
  const orders = await precreate(client, writer.apiKey, payments + warmup);
  const waiting = new Map<string, (at: number) => void>();
  const stream = await openSseStream(`${reader.url}/v1/events`, reader.apiKey, (frame) => {
    if (frame.event !== "entitlements.changed") return;
    const memberId = /"memberId":"([^"]+)"/.exec(frame.data)?.[1];
    const resolve = memberId === undefined ? undefined : waiting.get(memberId);
    if (resolve) {
      waiting.delete(memberId!);
      resolve(performance.now());
    }
  });
  if (stream.status !== 200) throw new Error(`stream refused: ${stream.status}`);
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  let missed = 0;
  try {
    for (const [i, order] of orders.entries()) {
      const arrived = new Promise<number | null>((resolve) => {
        waiting.set(order.memberId, resolve);
        setTimeout(() => resolve(null), 5_000).unref();
      });
      const sent = performance.now();
      await pay(client, webhook, order);
      const responded = performance.now();
      const at = await arrived;
      if (i < warmup) continue;
      if (at === null) {
        missed++;
        continue;
      }
      fromRequest.push(at - sent);
      fromResponse.push(Math.max(0, at - responded));
    }
  } finally {
    stream.close();
    client.close();
  }
  return { payments, fromResponse: quantiles(fromResponse), fromRequest: quantiles(fromRequest), missed };
}

/** One node on PGlite: payments and the stream on the same process. */
export async function benchEventLatencyOneNode(): Promise<LatencyResult> {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const server = await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
    BENCH_SERVER_CATALOG: "bench",
    BENCH_SERVER_PAYMENT_SECRET: secret,
  });
  try {
    return await measureLatency(server.info, server.info, secret);
  } finally {
    await server.stop();
  }
}

/** Two nodes on one PostgreSQL schema: payments on A, the stream on B. */
export async function benchEventLatencyTwoNodes(url = benchDatabaseUrl()): Promise<LatencyResult> {
  if (!url) throw new Error("no BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  return withSchema(url, async (schema) => {
    const env = {
      BENCH_SERVER_DATABASE_URL: url,
      BENCH_SERVER_DATABASE_SCHEMA: schema,
      BENCH_SERVER_PAYMENT_SECRET: secret,
    };
    const nodes: ChildServer<PerkwiseServerInfo>[] = [];
    try {
      nodes.push(
        await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
          ...env,
          BENCH_SERVER_CATALOG: "bench",
        }),
      );
      nodes.push(
        await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
          ...env,
          BENCH_SERVER_CATALOG: "none",
        }),
      );
      return await measureLatency(nodes[0].info, nodes[1].info, secret);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
}

/** 10,000 admin streams on one process; one payment; every stream must receive its event. */
export async function benchConnections(): Promise<ConnectionsResult> {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const server = await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
    BENCH_SERVER_CATALOG: "bench",
    BENCH_SERVER_PAYMENT_SECRET: secret,
  });
  const client = new JsonClient(server.info.url, 4);
  const streams: SseStream[] = [];
  const { connections, openConcurrency } = EVENTS_SETUP;
  try {
    const [order] = await precreate(client, server.info.apiKey, 1);
    const rssBefore = rssMiB(server.pid);
    let refused = 0;
    let droppedEarly = 0;
    let triggered = Number.POSITIVE_INFINITY;
    const receivedAt: number[] = [];
    const t0 = performance.now();
    await pool([...Array(connections).keys()], openConcurrency, async () => {
      let got = false;
      const stream = await openSseStream(
        `${server.info.url}/v1/events?members=${order.memberId}`,
        server.info.apiKey,
        (frame) => {
          if (got || frame.event !== "entitlements.changed") return;
          got = true;
          receivedAt.push(performance.now() - triggered);
        },
        () => {
          if (!got) droppedEarly++;
        },
      );
      if (stream.status === 200) streams.push(stream);
      else refused++;
    });
    const openSeconds = (performance.now() - t0) / 1000;
    const rssOpen = rssMiB(server.pid);
    triggered = performance.now();
    await pay(client, new Webhook(secret), order);
    const deadline = Date.now() + 30_000;
    while (receivedAt.length + droppedEarly < streams.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return {
      connections,
      opened: streams.length,
      refused,
      received: receivedAt.length,
      droppedEarly,
      openSeconds,
      fanOut: quantiles(receivedAt),
      serverRssMiB: rssOpen,
      serverRssBeforeMiB: rssBefore,
    };
  } finally {
    for (const s of streams) s.close();
    client.close();
    await server.stop();
  }
}

const ms = (n: number) => `${fmtNumber(n, n < 10 ? 1 : 0)} ms`;

/** Budget rows for a latency run (`ids` e.g. ["12a", "12b"]): p50 ≤ 50 ms, p99 ≤ 250 ms. */
export function latencyRows(r: LatencyResult, ids: [string, string], where: string): BudgetRow[] {
  const note = `${r.payments} payments one at a time, ${r.missed} missed; from the request: p50 ${ms(r.fromRequest.p50)}, p99 ${ms(r.fromRequest.p99)}; max ${ms(r.fromResponse.max)}`;
  const quantile = [
    { label: "p50", measured: r.fromResponse.p50, budget: 50 },
    { label: "p99", measured: r.fromResponse.p99, budget: 250 },
  ];
  return quantile.map((q, i) =>
    budgetRow({
      id: ids[i],
      name: `payment → SSE entitlements.changed ${q.label}, ${where}`,
      measured: r.missed > 0 ? null : q.measured,
      unit: "ms",
      direction: "max",
      budget: q.budget,
      note,
    }),
  );
}

export function connectionRows(r: ConnectionsResult): BudgetRow[] {
  return [
    budgetRow({
      id: "12e",
      name: "concurrent SSE streams on one process, each receiving the next event",
      measured: r.received,
      unit: "streams",
      direction: "min",
      budget: r.connections,
      note: `${r.opened} opened in ${r.openSeconds.toFixed(1)} s, ${r.refused} refused, ${r.droppedEarly} dropped; fan-out of one event p50 ${ms(r.fanOut.p50)}, p99 ${ms(r.fanOut.p99)}, max ${ms(r.fanOut.max)}; server RSS ${r.serverRssBeforeMiB ?? "?"} → ${r.serverRssMiB ?? "?"} MiB`,
    }),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[2] ?? "latency";
  if (which === "latency")
    for (const row of latencyRows(await benchEventLatencyOneNode(), ["12a", "12b"], "one node (PGlite)"))
      console.log(formatRow(row));
  if (which === "latency-2")
    for (const row of latencyRows(
      await benchEventLatencyTwoNodes(),
      ["12c", "12d"],
      "node A → node B (PostgreSQL)",
    ))
      console.log(formatRow(row));
  if (which === "connections")
    for (const row of connectionRows(await benchConnections())) console.log(formatRow(row));
}
