import { describe, expect, it } from "vitest";
import type { Finding, ProviderAnswerEvidence } from "./diagnosis-types.js";
import { addProviderAnswers, answerSentence } from "./provider-answers.js";

const AT = Date.parse("2026-11-24T02:05:00Z");
const answer = (a: Partial<ProviderAnswerEvidence>): ProviderAnswerEvidence => ({
  orderId: "ord_1",
  provider: "alipay",
  askedAt: AT,
  answer: "not_paid",
  status: "WAIT_BUYER_PAY",
  appliedNow: false,
  ...a,
});
const pending = (): Finding => ({
  cause: "sync_delay",
  code: "PAYMENT_PENDING",
  message: "Pending.",
  details: { orderId: "ord_1" },
  evidence: [],
  remedy: { actor: "platform", action: "wait" },
});

describe("what the providers said, in the diagnosis", () => {
  it("each answer in words, in the member's time zone, en and zh-CN", () => {
    const tz = "Asia/Shanghai";
    expect(answerSentence(answer({}), "en", tz)).toMatch(
      /^ Alipay, asked at .*10:05.*: not paid \(WAIT_BUYER_PAY\)\.$/,
    );
    expect(answerSentence(answer({}), "zh-CN", tz)).toMatch(
      /^（.*10:05.*向支付宝查询：未支付（WAIT_BUYER_PAY））$/,
    );
    const none = answer({ provider: "wechatpay", answer: "unknown", status: undefined, reason: "timeout" });
    expect(answerSentence(none, "en", tz)).toContain("WeChat Pay, asked at");
    expect(answerSentence(none, "en", tz)).toContain("no answer (timeout)");
    expect(answerSentence(none, "zh-CN", tz)).toContain("微信支付");
    expect(answerSentence(none, "zh-CN", tz)).toContain("未能查询（timeout）");
  });

  it("an answer joins its order's PAYMENT_PENDING finding; another order's finding is left alone", () => {
    const findings = [pending(), { ...pending(), details: { orderId: "ord_2" } }];
    addProviderAnswers(
      findings,
      [answer({})],
      [],
      () => ({ type: "order", id: "", at: null, data: {} }),
      "en",
      "UTC",
    );
    expect(findings[0].details.providerAnswers).toEqual([
      {
        provider: "alipay",
        askedAt: "2026-11-24T02:05:00.000Z",
        answer: "not_paid",
        status: "WAIT_BUYER_PAY",
      },
    ]);
    expect(findings[0].evidence).toEqual([
      expect.objectContaining({
        type: "provider_answer",
        id: "alipay:ord_1",
        at: "2026-11-24T02:05:00.000Z",
      }),
    ]);
    expect(findings[1]).toEqual({ ...pending(), details: { orderId: "ord_2" } });
  });

  it("an answer applied now is its own auto-fixed finding, remedy refresh", () => {
    const findings: Finding[] = [];
    addProviderAnswers(
      findings,
      [answer({ answer: "paid", status: undefined, appliedNow: true, outcome: "applied" })],
      [],
      () => ({ type: "order", id: "", at: null, data: {} }),
      "zh-CN",
      "Asia/Shanghai",
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: "PAYMENT_PENDING",
        autoFixed: true,
        remedy: { actor: "member", action: "refresh_client" },
        details: {
          orderId: "ord_1",
          provider: "alipay",
          askedAt: "2026-11-24T02:05:00.000Z",
          appliedNow: true,
        },
      }),
    ]);
    expect(findings[0].message).toContain("已立即生效");
  });
});
