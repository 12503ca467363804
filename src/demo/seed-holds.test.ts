import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../app.js";
import { ManualClock } from "../clock.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";
import { DEMO_CATALOG } from "./demo-catalog.js";
import { HOLD_DEMO_MEMBER, seedHoldDemo } from "./seed-holds.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");
const SECRET = `whsec_${Buffer.from("seed-holds-test-secret-32-bytes!").toString("base64")}`;

describe("the demo member on hold", () => {
  let database: DatabaseHandle;
  let app: App;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    database = await openDatabase({ memory: true });
    await migrateToLatest(database);
    app = await startApp({
      database,
      clock,
      adminKey: "pwadmin_seed_holds_0123456789",
      paymentSecret: SECRET,
    });
    await app.catalog.put(DEMO_CATALOG);
    const buy = async (memberId: string, plan: string) => {
      const order = await app.orders.create({ memberId, plan, channel: "official_app" });
      const body = JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: order.orderId, amount: order.amount.amount },
      });
      const at = new Date(clock.now());
      await app.payments.receive(body, {
        "webhook-id": `seed_${order.orderId}`,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(SECRET).sign(`seed_${order.orderId}`, at, body),
      });
    };
    await seedHoldDemo(app, clock, buy, NOW, "Asia/Shanghai");
  });
  afterAll(() => database.close());

  it("is a paid VIP whose benefits are on hold for an unusual login, cleared by verifying", async () => {
    expect(clock.now()).toBe(NOW);
    const decision = await app.decisions.check(
      { memberId: HOLD_DEMO_MEMBER.id, benefit: "ad_free", context: {} },
      "en",
    );
    expect(decision.grant?.tier).toBe("vip");
    expect(decision.reasons).toEqual([
      expect.objectContaining({
        code: "ACCOUNT_ON_HOLD",
        details: expect.objectContaining({ holdReason: "unusual_location", clearMethod: "verify_identity" }),
        remedy: { actor: "member", action: "verify_identity" },
        // The member's own locale wins over the request's.
        message: "因检测到异地登录，为保障账户安全，免广告已暂停，完成身份验证后即可恢复",
      }),
    ]);
    const detail = await app.members.detail(HOLD_DEMO_MEMBER.id);
    expect(detail.holds).toEqual([
      expect.objectContaining({
        status: "open",
        reason: "unusual_location",
        details: expect.objectContaining({
          login: expect.objectContaining({ country: "US", city: "Los Angeles" }),
        }),
      }),
    ]);
  });
});
