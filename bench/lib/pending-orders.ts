import { BENCH_PLAN, BENCH_PLAN_AMOUNT } from "./bench-catalog.js";
import { type JsonClient, pool } from "./http-client.js";

export interface PendingOrder {
  memberId: string;
  orderId: string;
  amount: number;
}

/** `count` members `<prefix>-<i>`, each with a pending order of the bench plan, 16 at a time (untimed set-up). */
export async function createPendingOrders(
  client: JsonClient,
  apiKey: string,
  prefix: string,
  count: number,
): Promise<PendingOrder[]> {
  const auth = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const orders: PendingOrder[] = new Array(count);
  await pool([...Array(count).keys()], 16, async (i) => {
    const memberId = `${prefix}-${i}`;
    const m = await client.send("PUT", `/v1/members/${memberId}`, JSON.stringify({ locale: "en" }), auth);
    if (m.status !== 201) throw new Error(`member ${memberId}: ${m.status} ${JSON.stringify(m.body)}`);
    const o = await client.send("POST", "/v1/orders", JSON.stringify({ memberId, plan: BENCH_PLAN }), auth);
    if (o.status !== 201) throw new Error(`order for ${memberId}: ${o.status} ${JSON.stringify(o.body)}`);
    if (o.body.amount.amount !== BENCH_PLAN_AMOUNT) throw new Error("unexpected order amount");
    orders[i] = { memberId, orderId: o.body.orderId, amount: o.body.amount.amount };
  });
  return orders;
}
