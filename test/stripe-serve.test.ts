/** `perkwise serve` passes PERKWISE_STRIPE_* to the Stripe endpoint (as it does Alipay's and WeChat Pay's). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServe } from "./support/serve-process.js";
import { StripeSimulator } from "./support/stripe-simulator.js";

describe("perkwise serve with PERKWISE_STRIPE_WEBHOOK_SECRET", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-stripe-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("verifies Stripe's events with the secret from the environment", async () => {
    const sim = new StripeSimulator();
    const env = {
      ...process.env,
      ...sim.environment(),
      PERKWISE_DATA_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
    };
    const server = await startServe(["--memory", "--port", "0"], env);
    try {
      const payload = sim.event(
        "checkout.session.completed",
        sim.checkoutSession({ orderId: "ord_nobody", amount: 1500, currency: "CNY" }),
      );
      const unsigned = await sim.post(server.url, payload, null);
      expect(unsigned).toMatchObject({ status: 400, body: { error: { code: "INVALID_SIGNATURE" } } });
      // Verified with the environment's secret: it gets as far as the order, which does not exist.
      const signed = await sim.post(server.url, payload, sim.signature(payload, Date.now()));
      expect(signed).toMatchObject({ status: 404, body: { error: { code: "ORDER_NOT_FOUND" } } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);
});
