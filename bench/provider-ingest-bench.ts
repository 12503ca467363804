/**
 * Each payment provider's notification endpoint against the Standard Webhooks endpoint, in one server
 * and one run: signed success notifications for distinct, pre-created orders of the bench plan (10
 * grants each). Rounds interleave (SW, Alipay, WeChat Pay, WeChat Pay, Alipay, SW, …) so the machine's
 * drift falls on every intake alike. Budget (issue 15): each adapter ≥ 0.8 × the Standard Webhooks
 * rate; the extra cost is RSA verification and, for WeChat Pay, AES-GCM decryption.
 * Run alone: `node --import tsx bench/provider-ingest-bench.ts`.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { standardWebhookHeaders } from "../src/demo/provider-signers.js";
import { AlipaySimulator } from "../test/support/alipay-simulator.js";
import { WechatPaySimulator } from "../test/support/wechatpay-simulator.js";
import { BENCH_PLAN_AMOUNT } from "./lib/bench-catalog.js";
import { spawnServer } from "./lib/child.js";
import { JsonClient, pool } from "./lib/http-client.js";
import { createPendingOrders } from "./lib/pending-orders.js";
import { type BudgetRow, budgetRow, fmtNumber, formatRow } from "./lib/report.js";
import type { PerkwiseServerInfo } from "./servers/perkwise-server.js";

const SETUP = { rounds: 2, perRound: 150, warmup: 40, concurrency: 8 };
export const PROVIDER_INGEST_RATIO = 0.8;

type Intake = "standard_webhooks" | "alipay" | "wechatpay";
const ORDER: Intake[] = [
  "standard_webhooks",
  "alipay",
  "wechatpay",
  "wechatpay",
  "alipay",
  "standard_webhooks",
];

interface Request {
  path: string;
  body: string;
  headers: Record<string, string>;
  /** Whether the answer says the payment was applied. */
  applied: (status: number, body: unknown) => boolean;
}

export interface ProviderIngestResult {
  eventsPerSec: Record<Intake, number>;
  failed: number;
  rows: BudgetRow[];
}

export async function benchProviderIngest(): Promise<ProviderIngestResult> {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const alipay = new AlipaySimulator();
  const wechatpay = new WechatPaySimulator();
  const server = await spawnServer<PerkwiseServerInfo>("servers/perkwise-server.ts", {
    BENCH_SERVER_CATALOG: "bench",
    BENCH_SERVER_PAYMENT_SECRET: secret,
    ...alipay.environment(),
    ...wechatpay.environment(),
  });
  const client = new JsonClient(server.info.url, 16);
  const run = randomBytes(3).toString("hex");
  // Each intake's request for one order, signed beforehand (well inside every provider's tolerance).
  const requestFor: Record<Intake, (orderId: string, i: number) => Request> = {
    standard_webhooks: (orderId, i) => {
      const body = JSON.stringify({
        type: "payment.succeeded",
        data: { orderId, amount: { amount: BENCH_PLAN_AMOUNT, currency: "CNY" } },
      });
      return {
        path: "/v1/payments/events",
        body,
        headers: standardWebhookHeaders(secret, `msg_${run}_${i}`, body),
        applied: (status, answer) =>
          status === 200 && (answer as { outcome?: string })?.outcome === "applied",
      };
    },
    alipay: (orderId) => ({
      path: "/v1/payments/alipay/notify",
      body: alipay.body({
        orderId,
        status: "TRADE_SUCCESS",
        totalAmount: (BENCH_PLAN_AMOUNT / 100).toFixed(2),
        gmtPayment: DateTime.now().setZone("Asia/Shanghai").toFormat("yyyy-MM-dd HH:mm:ss"),
      }),
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      applied: (status, answer) => status === 200 && answer === "success",
    }),
    wechatpay: (orderId) => {
      const resource = {
        ...wechatpay.transaction({ orderId, total: BENCH_PLAN_AMOUNT }),
        success_time: DateTime.now().setZone("Asia/Shanghai").toISO({ suppressMilliseconds: true }),
      };
      const body = wechatpay.body("TRANSACTION.SUCCESS", resource);
      return {
        path: "/v1/payments/wechatpay/notify",
        body,
        headers: wechatpay.headers(body, Date.now()),
        applied: (status) => status === 204,
      };
    },
  };

  try {
    const total = SETUP.warmup * 3 + ORDER.length * SETUP.rounds * SETUP.perRound;
    const orders = (await createPendingOrders(client, server.info.apiKey, `pi-${run}`, total)).map(
      (o) => o.orderId,
    );

    let next = 0;
    let failed = 0;
    let firstFailure = "";
    /** Pays `count` fresh orders through `intake`; the elapsed milliseconds. */
    const pay = async (intake: Intake, count: number): Promise<number> => {
      const requests = orders.slice(next, next + count).map((id, i) => requestFor[intake](id, next + i));
      next += count;
      const t0 = performance.now();
      await pool(requests, SETUP.concurrency, async (r) => {
        const res = await client.send("POST", r.path, r.body, r.headers);
        if (!r.applied(res.status, res.body)) {
          failed++;
          if (!firstFailure) firstFailure = `${intake}: ${res.status} ${JSON.stringify(res.body)}`;
        }
      });
      return performance.now() - t0;
    };
    for (const intake of ["standard_webhooks", "alipay", "wechatpay"] as const)
      await pay(intake, SETUP.warmup);
    const elapsed: Record<Intake, number> = { standard_webhooks: 0, alipay: 0, wechatpay: 0 };
    const paid: Record<Intake, number> = { standard_webhooks: 0, alipay: 0, wechatpay: 0 };
    for (let round = 0; round < SETUP.rounds; round++) {
      for (const intake of ORDER) {
        elapsed[intake] += await pay(intake, SETUP.perRound);
        paid[intake] += SETUP.perRound;
      }
    }
    const rate = (intake: Intake) => paid[intake] / (elapsed[intake] / 1000);
    const eventsPerSec = {
      standard_webhooks: rate("standard_webhooks"),
      alipay: rate("alipay"),
      wechatpay: rate("wechatpay"),
    };
    const row = (id: string, intake: "alipay" | "wechatpay", name: string) =>
      budgetRow({
        id,
        name: `${name} notify ingest ÷ Standard Webhooks (PGlite)`,
        measured: failed > 0 ? null : eventsPerSec[intake] / eventsPerSec.standard_webhooks,
        unit: "×",
        direction: "min",
        budget: PROVIDER_INGEST_RATIO,
        note:
          failed > 0
            ? `${failed} notifications not applied, first: ${firstFailure}`
            : `${fmtNumber(eventsPerSec[intake])} vs ${fmtNumber(eventsPerSec.standard_webhooks)} events/s; ${paid[intake]} each, interleaved rounds, ${SETUP.concurrency} in flight`,
      });
    return {
      eventsPerSec,
      failed,
      rows: [row("4e", "alipay", "Alipay"), row("4f", "wechatpay", "WeChat Pay")],
    };
  } finally {
    client.close();
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchProviderIngest();
  for (const row of r.rows) console.log(formatRow(row));
}
