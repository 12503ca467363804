import { signedHeaders } from "../e2e/support/payment-signing.js";
import { ADMIN_KEY, PAYMENT_SECRET } from "../e2e-harness.js";

/** Plain HTTP calls to a node in another process (admin key; payments signed at the real time). */
export class NodeClient {
  constructor(readonly url: string) {}

  async call(method: string, path: string, body?: unknown, auth: string | null = ADMIN_KEY) {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** An order for `plan`, then its payment event: the member's entitlements change. */
  async orderAndPay(memberId: string, plan = "vip_month"): Promise<{ orderId: string; acceptedAt: number }> {
    const order = await this.call("POST", "/v1/orders", { memberId, plan });
    if (order.status !== 201) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
    const raw = JSON.stringify({
      type: "payment.succeeded",
      data: { orderId: order.body.orderId, amount: order.body.amount.amount },
    });
    const id = `msg_${order.body.orderId}`;
    const res = await fetch(`${this.url}/v1/payments/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders(raw, Date.now(), id, PAYMENT_SECRET) },
      body: raw,
    });
    const acceptedAt = Date.now();
    if (res.status !== 200) throw new Error(`payment: ${res.status} ${await res.text()}`);
    return { orderId: order.body.orderId, acceptedAt };
  }
}
