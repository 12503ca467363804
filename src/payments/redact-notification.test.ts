import { describe, expect, it } from "vitest";
import type { ReceivedNotification } from "./payment-event.js";
import { redactNotification } from "./redact-notification.js";

const base: ReceivedNotification = {
  provider: "alipay",
  body: "",
  headers: {},
  verification: { verified: true, method: "test" },
};

describe("what support and the member see of a provider's notification", () => {
  it("credentials are left out; signatures are shortened to 8 characters and their length", () => {
    const shown = redactNotification({
      ...base,
      provider: "wechatpay",
      headers: {
        "content-type": "application/json",
        authorization: "WECHATPAY2-SHA256-RSA2048 mchid=…",
        cookie: "s=1",
        "x-api-key": "k",
        "x-access-token": "t",
        "wechatpay-signature": "A".repeat(344),
        "wechatpay-serial": "PUB_KEY_ID_1",
      },
      body: '{"id":"EV-1"}',
    });
    expect(shown.headers).toEqual({
      "content-type": "application/json",
      "wechatpay-signature": `${"A".repeat(8)}…(344)`,
      "wechatpay-serial": "PUB_KEY_ID_1",
    });
    expect(shown.body).toBe('{"id":"EV-1"}');
  });

  it("a form's sign is shortened, every other field kept, a % value included", () => {
    const body = new URLSearchParams({
      out_trade_no: "ord_1",
      passback_params: "a=100%",
      sign: "B".repeat(344),
    });
    const shown = new URLSearchParams(redactNotification({ ...base, body: body.toString() }).body);
    expect(Object.fromEntries(shown)).toEqual({
      out_trade_no: "ord_1",
      passback_params: "a=100%",
      sign: `${"B".repeat(8)}…(344)`,
    });
  });

  it("the stored notification is not changed", () => {
    const stored = { ...base, headers: { "wechatpay-signature": "C".repeat(40) } };
    redactNotification(stored);
    expect(stored.headers["wechatpay-signature"]).toBe("C".repeat(40));
  });
});
