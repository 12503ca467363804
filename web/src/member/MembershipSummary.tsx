import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { type Client, unwrap } from "../common/client";
import { Loaded } from "../common/Loaded";
import type { Entitlements, Hold, TimelineEntry } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { invalidate, memberKeys, useHolds, useTimeline } from "./member-queries";

const LIVE_STATUSES = new Set(["active", "in_grace", "scheduled"]);

/** An order the payment provider has not confirmed yet, as the decisions name it (PAYMENT_PENDING). */
export interface PendingOrder {
  orderId: string;
  plan: string;
  since: string;
}

/** The orders being confirmed, from the PAYMENT_PENDING reasons of the member's benefits. */
export function pendingOrders(entitlements: Entitlements): PendingOrder[] {
  const orders = new Map<string, PendingOrder>();
  for (const benefit of entitlements.benefits) {
    for (const reason of benefit.reasons) {
      const { orderId, plan, since } = reason.details;
      if (reason.code === "PAYMENT_PENDING" && typeof orderId === "string") {
        orders.set(orderId, { orderId, plan: String(plan ?? ""), since: String(since ?? "") });
      }
    }
  }
  return [...orders.values()];
}

/** What a payment provider last said of an order when Perkwise asked it (a `payment.queried` entry). */
export interface ProviderAnswer {
  provider: string;
  askedAt: string;
  answer: "paid" | "not_paid" | "unknown";
  status?: string;
}

/** The latest provider answer about each order, from the member's timeline. */
export function providerAnswers(entries: TimelineEntry[]): Map<string, ProviderAnswer> {
  const latest = new Map<string, ProviderAnswer>();
  for (const entry of entries) {
    if (entry.kind !== "payment.queried") continue;
    const data = entry.data as Partial<ProviderAnswer> & { orderId?: unknown };
    if (typeof data.orderId !== "string" || typeof data.askedAt !== "string") continue;
    const known = latest.get(data.orderId);
    if (known && known.askedAt >= data.askedAt) continue;
    latest.set(data.orderId, {
      provider: String(data.provider),
      askedAt: data.askedAt,
      answer: data.answer ?? "unknown",
      status: data.status,
    });
  }
  return latest;
}

/**
 * Tier, start and expiry, the source order; an order being paid as pending (never as "no
 * membership"); then open holds with the identity check that clears them.
 */
export function MembershipSummary({
  entitlements,
  client,
  tierName,
}: {
  entitlements: Entitlements;
  client: Client;
  tierName: (code: string) => string;
}) {
  const { t, tc, formatTime, formatAge } = useI18n();
  const holds = useHolds(client);
  const timeline = useTimeline(client);
  const answers = providerAnswers(timeline.data?.entries ?? []);
  const memberships = entitlements.memberships;
  const current = memberships.filter((m) => LIVE_STATUSES.has(m.status));
  const shown = current.length > 0 ? current : memberships.slice(-1);
  const pending = pendingOrders(entitlements);
  return (
    <div data-testid="membership">
      {pending.map((order) => (
        <div key={order.orderId} className="pending" data-testid="pending-order" role="status">
          <p>
            <span className="badge state-pending">{t("membership.pendingBadge")}</span>{" "}
            <strong>{t("membership.pendingTitle")}</strong>
          </p>
          <p>
            {t("membership.pendingOrder", { age: formatAge(order.since), at: formatTime(order.since) })}{" "}
            <code translate="no">{order.orderId}</code> · <code translate="no">{order.plan}</code>
          </p>
          <ProviderSaid answer={answers.get(order.orderId)} />
          <p className="muted">{t("membership.pendingUsually")}</p>
        </div>
      ))}
      {shown.length === 0 && pending.length === 0 && <p>{t("membership.none")}</p>}
      {shown.length > 0 && (
        <dl className="membership-list">
          {shown.map((m) => (
            <div key={m.id} className="membership">
              <dt>
                {tierName(m.tier)}{" "}
                <span className={`badge state-${m.status}`}>{tc("membershipStatus", m.status)}</span>
              </dt>
              <dd>
                {t("membership.period", { start: formatTime(m.startsAt), end: formatTime(m.expiresAt) })}
                {m.graceEndsAt && (
                  <>
                    <br />
                    {t("membership.grace", { until: formatTime(m.graceEndsAt) })}
                  </>
                )}
                <br />
                <span className="muted">
                  {t("membership.sourceOrder")}: <code translate="no">{m.sourceOrderId}</code>
                </span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <Loaded query={holds}>
        {(data) =>
          data.holds
            .filter((h) => h.status === "open")
            .map((hold) => <HoldCard key={hold.holdId} hold={hold} client={client} />)
        }
      </Loaded>
    </div>
  );
}

/** "Alipay said at 10:05: WAIT_BUYER_PAY" — what the provider answered when Perkwise asked it. */
function ProviderSaid({ answer }: { answer: ProviderAnswer | undefined }) {
  const { t, tc, formatTime } = useI18n();
  if (!answer) return null;
  const provider = tc("paymentProvider", answer.provider);
  const at = formatTime(answer.askedAt);
  return (
    <p data-testid="provider-answer">
      {answer.answer === "unknown" ? (
        t("membership.providerUnreachable", { provider, at })
      ) : (
        <>
          {t("membership.providerSaid", { provider, at })}{" "}
          <code translate="no">{answer.status ?? answer.answer}</code>
        </>
      )}
    </p>
  );
}

function HoldCard({ hold, client }: { hold: Hold; client: Client }) {
  const { t, tc, formatTime } = useI18n();
  const queries = useQueryClient();
  const [sent, setSent] = useState<{ expiresAt: string } | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const path = { params: { path: { holdId: hold.holdId } } };
  const requestCode = async () => {
    try {
      const answer = await unwrap(client.POST("/v1/me/holds/{holdId}/verification", path));
      setSent(answer as { expiresAt: string });
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await unwrap(client.POST("/v1/me/holds/{holdId}/verify", { ...path, body: { code: code.trim() } }));
      setError(null);
      invalidate(queries, [memberKeys.holds, memberKeys.entitlements]);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="hold" id={`hold-${hold.holdId}`} data-testid="hold">
      <h3>{t("hold.title")}</h3>
      <p>{t("hold.reason", { reason: tc("holdReason", hold.reason), since: formatTime(hold.placedAt) })}</p>
      {hold.clearMethod === "verify_identity" ? (
        <>
          <button type="button" onClick={requestCode}>
            {sent ? t("hold.resend") : t("hold.sendCode")}
          </button>
          {sent && (
            <form onSubmit={verify} className="inline-form">
              <p>{t("hold.codeSent", { until: formatTime(sent.expiresAt) })}</p>
              <label htmlFor={id}>{t("hold.codeLabel")}</label>
              <input
                id={id}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
              <button type="submit">{t("hold.verify")}</button>
            </form>
          )}
        </>
      ) : (
        <p>{t("hold.agentOnly")}</p>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
