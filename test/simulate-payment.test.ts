import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PROVIDERS_FILE } from "../src/demo/demo-providers.js";
import { type ServeProcess, startServe } from "./support/serve-process.js";

const run = promisify(execFile);
const BIN = path.resolve("bin/perkwise.js");

/**
 * Issue 15 item 8, as a newcomer does it on today's date (the real clock): `serve --demo` accepts
 * each provider's notifications with keys it generated, and `perkwise simulate-payment` signs a
 * notification for a pending order as the provider would — the benefit turns on.
 */
describe("serve --demo with its payment providers, and perkwise simulate-payment", () => {
  let dataDir: string;
  let server: ServeProcess;
  let admin: Record<string, string>;
  const env = () => ({ ...process.env, PERKWISE_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" });
  const perkwise = (...args: string[]) =>
    run("node", [BIN, ...args, "--url", server.url], { env: env() }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout + e.stderr,
      }),
    );
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: admin,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const allowed = async (memberId: string) =>
    (await api("POST", "/v1/check", { memberId, benefit: "ad_free" })).body.allowed as boolean;
  const newOrder = async (memberId: string) => {
    const order = await api("POST", "/v1/orders", { memberId, plan: "vip_month" });
    expect(order.status).toBe(201);
    return order.body.orderId as string;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-simulate-"));
    server = await startServe(["--demo", "--memory", "--port", "0"], env());
    const key = /admin key: +(\S+)/.exec(server.output())![1];
    admin = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("says which providers the demo configured and how to send a notification; the keys are private", () => {
    expect(server.output()).toContain("payment providers: alipay (demo keys), wechatpay (demo keys)");
    expect(server.output()).toContain("npx perkwise simulate-payment alipay <orderId>");
    expect(statSync(path.join(dataDir, DEMO_PROVIDERS_FILE)).mode & 0o077).toBe(0);
  });

  it("an Alipay notification for demo-pending's order turns her benefits on", async () => {
    const detail = await api("GET", "/v1/members/demo-pending");
    const pending = detail.body.orders.find((o: { status: string }) => o.status === "pending_payment");
    expect(await allowed("demo-pending")).toBe(false);
    const sent = await perkwise("simulate-payment", "alipay", pending.orderId);
    expect(sent.stdout).toContain("/v1/payments/alipay/notify");
    expect(sent.stdout).toContain("sign_type=RSA2");
    expect(sent.stdout).toContain("→ 200 success");
    expect(sent.code).toBe(0);
    expect(await allowed("demo-pending")).toBe(true);
    expect((await api("GET", `/v1/orders/${pending.orderId}`)).body.status).toBe("paid");
  }, 60_000);

  it("WeChat Pay pays an order, a partial refund is recorded, and the rest refunds it", async () => {
    const orderId = await newOrder("demo-new");
    const paid = await perkwise("simulate-payment", "wechatpay", orderId);
    expect(paid.stdout).toContain("→ 204");
    expect(paid.code).toBe(0);
    expect(await allowed("demo-new")).toBe(true);
    expect((await perkwise("simulate-payment", "wechatpay", orderId, "--refund", "5.00")).code).toBe(0);
    const partly = (await api("GET", `/v1/orders/${orderId}`)).body;
    expect(partly).toMatchObject({ status: "paid", refunded: { amount: 500, currency: "CNY" } });
    expect(await allowed("demo-new")).toBe(true);
    expect((await perkwise("simulate-payment", "wechatpay", orderId, "--refund", "10.00")).code).toBe(0);
    expect((await api("GET", `/v1/orders/${orderId}`)).body).toMatchObject({
      status: "refunded",
      refunded: { amount: 1500 },
    });
    expect(await allowed("demo-new")).toBe(false);
  }, 90_000);

  it("a Standard Webhooks event signed with the payment secret works too; bad input exits 2", async () => {
    await api("PUT", "/v1/members/sim-standard", { locale: "en" });
    const orderId = await newOrder("sim-standard");
    const sent = await perkwise("simulate-payment", "standard", orderId);
    expect(sent.stdout).toContain('"outcome":"applied"');
    expect(await allowed("sim-standard")).toBe(true);
    const missing = await perkwise("simulate-payment", "alipay", "ord_does_not_exist");
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("ORDER_NOT_FOUND");
    expect((await perkwise("simulate-payment", "alipay", orderId, "--refund", "-1")).code).toBe(2);
    expect((await perkwise("simulate-payment", "paypal", orderId)).code).toBe(2);
  }, 90_000);
});
