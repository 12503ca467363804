import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/database.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, PAYMENT_SECRET, T0 } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { type NodeProcess, startNode } from "../support/node-processes.js";
import { TEST_ENGINES } from "../test-database.js";
import { signedHeaders } from "./support/payment-signing.js";

/** A node in its own process on the test's schema, its clock fixed at T0. */
function startNodeAtT0(schema: string): Promise<NodeProcess> {
  return startNode(
    process.env.TEST_DATABASE_URL!,
    schema,
    { adminKey: ADMIN_KEY, paymentSecret: PAYMENT_SECRET },
    // The test cuts B's LISTEN connection on purpose.
    { NOW: String(T0), IGNORE_CLUSTER_ERRORS: "1" },
  );
}

async function call(node: NodeProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function pay(node: NodeProcess, orderId: string, amount: number, webhookId: string) {
  const raw = JSON.stringify({ type: "payment.succeeded", data: { orderId, amount } });
  const response = await fetch(`${node.url}/v1/payments/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signedHeaders(raw, T0, webhookId) },
    body: raw,
  });
  return (await response.json()) as { outcome: string };
}

const postgres = TEST_ENGINES.find((e) => e.name === "postgres");

describe.runIf(postgres)("two Perkwise node processes on one PostgreSQL", () => {
  let database: DatabaseHandle;
  let a: NodeProcess;
  let b: NodeProcess;

  /** A member with a pending order (made on A) whose PAYMENT_PENDING answer B has cached. */
  async function pendingOnB(memberId: string) {
    await call(a, "PUT", `/v1/members/${memberId}`, { locale: "en" });
    const order = (await call(a, "POST", "/v1/orders", { memberId, plan: "vip_month" })).body;
    const denied = (await call(b, "POST", "/v1/check", { memberId, benefit: "ad_free" })).body;
    expect(denied.reasons[0].code).toBe("PAYMENT_PENDING");
    return { orderId: order.orderId as string, amount: order.amount.amount as number };
  }
  const allowedOnB = async (memberId: string) =>
    (await call(b, "POST", "/v1/check", { memberId, benefit: "ad_free" })).body.allowed === true;

  beforeAll(async () => {
    database = await postgres!.open();
    [a, b] = await Promise.all([startNodeAtT0(database.schema), startNodeAtT0(database.schema)]);
    expect((await call(a, "PUT", "/v1/catalog", DEMO_CATALOG)).status).toBe(200);
    await eventually(
      "B has the catalog A stored",
      async () => (await call(b, "GET", "/v1/catalog")).status === 200,
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database.close();
  });

  it("a payment on node A: node B allows the next check", async () => {
    const { orderId, amount } = await pendingOnB("proc-1");
    expect((await pay(a, orderId, amount, "msg_proc_1")).outcome).toBe("applied");
    await eventually("B allows proc-1", () => allowedOnB("proc-1"));
  });

  it("node B's LISTEN connection is terminated: it reconnects, resyncs and answers right", async () => {
    const { orderId, amount } = await pendingOnB("proc-2");
    const listenerOf = async (node: NodeProcess) => {
      const { rows } = await sql<{ pid: number }>`
        select pid from pg_stat_activity where application_name = ${`perkwise-listen ${node.nodeId}`}`.execute(
        database.db,
      );
      return rows[0]?.pid;
    };
    const before = await listenerOf(b);
    expect(before).toBeTypeOf("number");
    await sql`select pg_terminate_backend(${before}::int)`.execute(database.db);
    expect((await pay(a, orderId, amount, "msg_proc_2")).outcome).toBe("applied");
    await eventually("B listens again", async () => {
      const pid = await listenerOf(b);
      return pid !== undefined && pid !== before;
    });
    await eventually("B allows proc-2", () => allowedOnB("proc-2"));
    // And the new connection carries messages.
    const next = await pendingOnB("proc-3");
    await pay(a, next.orderId, next.amount, "msg_proc_3");
    await eventually("B allows proc-3", () => allowedOnB("proc-3"));
  });

  it("a catalog change on node A switches node B", async () => {
    const version = (await call(a, "PUT", "/v1/catalog", { ...DEMO_CATALOG, notice: "Just a new version." }))
      .body.version;
    expect(version).toBe(2);
    await eventually(
      "B serves version 2",
      async () => (await call(b, "GET", "/v1/catalog")).body.version === 2,
    );
  });
});
