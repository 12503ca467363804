/**
 * What the payment providers said when diagnosis asked about a pending order (their query APIs), in
 * the findings: a paid answer applied just now is a `PAYMENT_PENDING` finding Perkwise fixed itself
 * ("applied now"); any other answer is cited by the order's `PAYMENT_PENDING` finding. Pure.
 */
import type { Locale } from "../catalog/catalog-types.js";
import type { EvidenceItem, Finding, OrderEvidence, ProviderAnswerEvidence } from "./diagnosis-types.js";
import { REASON_CODES } from "./engine-types.js";
import { formatLocalTime } from "./time-format.js";

const PROVIDER_NAMES: Record<string, Record<Locale, string>> = {
  alipay: { en: "Alipay", "zh-CN": "支付宝" },
  wechatpay: { en: "WeChat Pay", "zh-CN": "微信支付" },
  stripe: { en: "Stripe", "zh-CN": "Stripe" },
};
const providerName = (provider: string, locale: Locale) => PROVIDER_NAMES[provider]?.[locale] ?? provider;

/** The evidence item of one answer: the provider, when it was asked, and what it answered (redacted). */
export function providerAnswerItem(a: ProviderAnswerEvidence): EvidenceItem {
  return {
    type: "provider_answer",
    id: `${a.provider}:${a.orderId}`,
    at: new Date(a.askedAt).toISOString(),
    data: {
      orderId: a.orderId,
      provider: a.provider,
      answer: a.answer,
      ...(a.status !== undefined && { status: a.status }),
      ...(a.reason !== undefined && { reason: a.reason }),
      appliedNow: a.appliedNow,
      ...(a.outcome !== undefined && { outcome: a.outcome }),
      ...(a.notification !== undefined && { notification: a.notification }),
    },
  };
}

/** One answer in words: "Alipay, asked at 10:05: not paid (WAIT_BUYER_PAY)." */
export function answerSentence(a: ProviderAnswerEvidence, locale: Locale, timezone: string): string {
  const who = providerName(a.provider, locale);
  const at = formatLocalTime(new Date(a.askedAt).toISOString(), timezone);
  if (locale === "en") {
    const said =
      a.answer === "paid"
        ? `paid${a.outcome && a.outcome !== "applied" ? ` (${a.outcome})` : ""}`
        : a.answer === "not_paid"
          ? `not paid (${a.status})`
          : `no answer (${a.reason})`;
    return ` ${who}, asked at ${at}: ${said}.`;
  }
  const said =
    a.answer === "paid"
      ? `已支付${a.outcome && a.outcome !== "applied" ? `（${a.outcome}）` : ""}`
      : a.answer === "not_paid"
        ? `未支付（${a.status}）`
        : `未能查询（${a.reason}）`;
  return `（${at}向${who}查询：${said}）`;
}

/** The finding of a payment a query found and applied just now. */
function appliedNowFinding(
  a: ProviderAnswerEvidence,
  order: EvidenceItem | null,
  locale: Locale,
  timezone: string,
): Finding {
  const who = providerName(a.provider, locale);
  const at = formatLocalTime(new Date(a.askedAt).toISOString(), timezone);
  return {
    cause: REASON_CODES.PAYMENT_PENDING,
    code: "PAYMENT_PENDING",
    message:
      locale === "en"
        ? `${who}'s notification for order ${a.orderId} had not arrived; asked at ${at}, ${who} confirmed the payment and it was applied now.`
        : `订单${a.orderId}的${who}支付通知未到达；${at}向${who}查询确认已支付，已立即生效`,
    details: {
      orderId: a.orderId,
      provider: a.provider,
      askedAt: new Date(a.askedAt).toISOString(),
      appliedNow: true,
    },
    evidence: order ? [order, providerAnswerItem(a)] : [providerAnswerItem(a)],
    remedy: { actor: "member", action: "refresh_client" },
    autoFixed: true,
  };
}

/**
 * Adds the providers' answers to the findings: an applied one as its own auto-fixed finding, the
 * others cited by (and told in the message of) their order's PAYMENT_PENDING finding.
 */
export function addProviderAnswers(
  findings: Finding[],
  answers: readonly ProviderAnswerEvidence[],
  orders: readonly OrderEvidence[],
  orderItemOf: (o: OrderEvidence) => EvidenceItem,
  locale: Locale,
  timezone: string,
): void {
  for (const a of answers) {
    if (a.appliedNow) {
      const order = orders.find((o) => o.id === a.orderId);
      findings.push(appliedNowFinding(a, order ? orderItemOf(order) : null, locale, timezone));
      continue;
    }
    const index = findings.findIndex((f) => f.code === "PAYMENT_PENDING" && f.details.orderId === a.orderId);
    if (index < 0) continue;
    const finding = findings[index];
    const earlier = Array.isArray(finding.details.providerAnswers) ? finding.details.providerAnswers : [];
    findings[index] = {
      ...finding,
      message: finding.message + answerSentence(a, locale, timezone),
      details: {
        ...finding.details,
        providerAnswers: [
          ...earlier,
          {
            provider: a.provider,
            askedAt: new Date(a.askedAt).toISOString(),
            answer: a.answer,
            ...(a.status !== undefined && { status: a.status }),
            ...(a.reason !== undefined && { reason: a.reason }),
          },
        ],
      },
      evidence: [...finding.evidence, providerAnswerItem(a)],
    };
  }
}
