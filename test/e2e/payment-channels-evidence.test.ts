/**
 * What a payment leaves behind besides its grants: an order paid through an unofficial channel is
 * judged by the `unofficial_channel` rule in the payment's transaction (whatever the intake), and
 * the provider's raw notification is evidence in the timeline and in diagnosis (issue 15 items 7, 9).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { formatDecimalAmount } from "../../src/payments/money.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator } from "../support/alipay-simulator.js";
import { TEST_ENGINES } from "../test-database.js";

const alipay = new AlipaySimulator();

describe.each(TEST_ENGINES)("channels and notification evidence on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const memberWithOrder = async (channel?: string) => {
    const memberId = `ce-${engine.name}-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month", channel);
    return { memberId, orderId: order.orderId, amount: order.amount.amount };
  };
  const timeline = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries as {
      kind: string;
      data: Record<string, any>;
    }[];
  const diagnose = async (memberId: string, body: Record<string, unknown>) =>
    s.request("POST", `/v1/members/${memberId}/diagnose`, { body, headers: { "accept-language": "en" } });

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { alipay: alipay.config() });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("an order paid through an unofficial channel is held by the unofficial_channel rule; diagnosis says not working", async () => {
    const { memberId, orderId, amount } = await memberWithOrder("reseller_taobao");
    const yuan = formatDecimalAmount(amount);
    expect(
      await alipay.post(s.baseUrl, alipay.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan })),
    ).toEqual({
      status: 200,
      text: "success",
    });
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({
      code: "ACCOUNT_ON_HOLD",
      details: { holdReason: "unofficial_channel" },
    });
    const res = await diagnose(memberId, { benefit: "ad_free" });
    expect(res.body.verdict).toBe("not_working");
    const hold = res.body.findings.find((f: any) => f.code === "ACCOUNT_ON_HOLD");
    expect(hold.evidence.find((e: any) => e.type === "hold").data.reason).toBe("unofficial_channel");
    const holds = (await s.request("GET", `/v1/holds?status=open`)).body.holds.filter(
      (h: any) => h.memberId === memberId,
    );
    expect(holds).toHaveLength(1);
    expect(holds[0].details).toMatchObject({ channel: "reseller_taobao", orderId });
  });

  it("official channels and authorized partners are not held", async () => {
    const rules = (await s.request("GET", "/v1/risk-rules")).body;
    const put = await s.request("PUT", "/v1/risk-rules", {
      body: { ...rules, unofficialChannel: { enabled: true, authorizedPartners: ["partner:jd"] } },
    });
    expect(put.status).toBe(200);
    for (const channel of ["official_app", "official_web", "partner:jd"]) {
      const { memberId, orderId, amount } = await memberWithOrder(channel);
      const yuan = formatDecimalAmount(amount);
      await alipay.post(s.baseUrl, alipay.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan }));
      expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    }
    // Any intake: the Standard Webhooks endpoint too.
    const viaWebhook = await memberWithOrder("wechat_group_buy");
    expect((await s.pay(viaWebhook.orderId, viaWebhook.amount)).status).toBe(200);
    expect((await s.check(viaWebhook.memberId, "ad_free")).reasons[0].code).toBe("ACCOUNT_ON_HOLD");
    const held = await memberWithOrder("partner:unknown");
    await alipay.post(
      s.baseUrl,
      alipay.body({
        orderId: held.orderId,
        status: "TRADE_SUCCESS",
        totalAmount: formatDecimalAmount(held.amount),
      }),
    );
    expect((await s.check(held.memberId, "ad_free")).reasons[0].code).toBe("ACCOUNT_ON_HOLD");
  });

  it("the raw notification is in the timeline and the diagnosis evidence, its sign shortened", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    const yuan = formatDecimalAmount(amount);
    const body = alipay.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan });
    await alipay.post(s.baseUrl, body);
    const sign = new URLSearchParams(body).get("sign")!;
    const entry = (await timeline(memberId)).find((e) => e.kind === "payment.succeeded")!;
    expect(entry.data.notification).toMatchObject({
      provider: "alipay",
      verification: { verified: true, method: "RSA2 (alipay-sdk checkNotifySignV2)" },
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    });
    const shown = new URLSearchParams(entry.data.notification.body);
    expect(shown.get("out_trade_no")).toBe(orderId);
    expect(shown.get("total_amount")).toBe(yuan);
    expect(shown.get("sign")).toBe(`${sign.slice(0, 8)}…(${sign.length})`);
    // The member sees it in their own timeline too.
    const token = await s.memberToken(memberId);
    const own = (await s.request("GET", "/v1/me/timeline", { auth: token })).body.entries;
    expect(own.find((e: any) => e.kind === "payment.succeeded").data.notification.provider).toBe("alipay");
    // Diagnosis evidence: a notification refused for its amount leaves the order pending, and the
    // PAYMENT_PENDING finding cites the payment event with what Alipay sent.
    const refused = await memberWithOrder();
    const wrong = alipay.body({ orderId: refused.orderId, status: "TRADE_SUCCESS", totalAmount: "0.01" });
    expect((await alipay.post(s.baseUrl, wrong)).status).toBe(422);
    const res = await diagnose(refused.memberId, { benefit: "ad_free", orderId: refused.orderId });
    const pending = res.body.findings.find((f: any) => f.code === "PAYMENT_PENDING");
    const event = pending.evidence.find((e: any) => e.type === "payment_event");
    expect(event.data).toMatchObject({
      outcome: "amount_mismatch",
      provider: "alipay",
      notification: { provider: "alipay", verification: { verified: true } },
    });
    expect(new URLSearchParams(event.data.notification.body).get("total_amount")).toBe("0.01");
    expect(new URLSearchParams(event.data.notification.body).get("sign")).toMatch(/…\(\d+\)$/);
  });
});
