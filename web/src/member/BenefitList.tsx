import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Client, unwrap } from "../common/client";
import type { BenefitEntry, Reason } from "../common/types";
import { ErrorMessage, QuotaBar } from "../common/ui";
import { type Translate, useI18n } from "../i18n/i18n";
import { invalidate, memberKeys } from "./member-queries";

/** The state the member reads: a benefit held back only by a payment being confirmed is pending. */
function shownState(entry: BenefitEntry): string {
  const pending = entry.reasons.some((r) => r.code === "PAYMENT_PENDING");
  return pending && entry.state === "not_included" ? "payment_pending" : entry.state;
}

/** Every benefit with its live state; for one not working, the reason and the one-click remedy. */
export function BenefitList({
  benefits,
  benefitName,
  client,
  onDiagnose,
}: {
  benefits: BenefitEntry[];
  benefitName: (code: string) => string;
  client: Client;
  onDiagnose: (benefit: string) => void;
}) {
  return (
    <ul className="benefits">
      {benefits.map((entry) => (
        <BenefitCard
          key={entry.benefit}
          entry={entry}
          name={benefitName(entry.benefit)}
          client={client}
          onDiagnose={onDiagnose}
        />
      ))}
    </ul>
  );
}

function BenefitCard({
  entry,
  name,
  client,
  onDiagnose,
}: {
  entry: BenefitEntry;
  name: string;
  client: Client;
  onDiagnose: (benefit: string) => void;
}) {
  const { t, tc, formatTime, formatNumber } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queries = useQueryClient();
  const state = shownState(entry);
  const benefit = { params: { path: { benefit: entry.benefit } } };
  const problems = entry.reasons.filter((r) => r.code !== "GRANTED");
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(null);
      invalidate(queries, [
        memberKeys.entitlements,
        memberKeys.coupons,
        memberKeys.checkout,
        memberKeys.timeline,
      ]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const headingId = `benefit-${entry.benefit}`;
  return (
    <li className={`benefit state-${state}`} data-benefit={entry.benefit} aria-labelledby={headingId}>
      <div className="benefit-head">
        <h3 id={headingId}>{name}</h3>
        <span className={`badge state-${state}`} data-testid="benefit-state">
          {tc("state", state)}
        </span>
      </div>
      {entry.quota && (
        <div className="quota-block">
          <QuotaBar
            used={entry.quota.used}
            limit={entry.quota.limit}
            label={t("benefit.quotaLabel", { name })}
          />
          <p className="muted">
            {t("benefit.quotaUsed", {
              used: formatNumber(entry.quota.used),
              limit: formatNumber(entry.quota.limit),
              unit: entry.quota.unit,
            })}
            {entry.quota.resetAt && ` · ${t("benefit.quotaResets", { at: formatTime(entry.quota.resetAt) })}`}
          </p>
        </div>
      )}
      {entry.state === "active" && entry.expiresAt && (
        <p className="muted">{t("benefit.until", { at: formatTime(entry.expiresAt) })}</p>
      )}
      {problems.map((reason) => (
        <div key={reason.code} className="reason" data-code={reason.code}>
          <p>{reason.message}</p>
          <RemedyAction
            reason={reason}
            busy={busy}
            onClaim={() => act(() => unwrap(client.POST("/v1/me/benefits/{benefit}/claim", benefit)))}
            onToggle={() =>
              act(() =>
                unwrap(client.PUT("/v1/me/benefits/{benefit}/toggle", { ...benefit, body: { on: true } })),
              )
            }
            onRefresh={() => act(async () => undefined)}
          />
        </div>
      ))}
      <ErrorMessage error={error} />
      <button type="button" className="link" onClick={() => onDiagnose(entry.benefit)}>
        {t("benefit.whyNot")}
      </button>
    </li>
  );
}

/** The remedy as a button where the member can do it here, else as words on what to do. */
function RemedyAction({
  reason,
  busy,
  onClaim,
  onToggle,
  onRefresh,
}: {
  reason: Reason;
  busy: boolean;
  onClaim: () => void;
  onToggle: () => void;
  onRefresh: () => void;
}) {
  const { t, formatTime } = useI18n();
  const { action, until } = reason.remedy;
  switch (action) {
    case "claim":
      return (
        <button type="button" disabled={busy} onClick={onClaim}>
          {t("remedy.claim")}
        </button>
      );
    case "toggle_on":
      return (
        <button type="button" disabled={busy} onClick={onToggle}>
          {t("remedy.toggle_on")}
        </button>
      );
    case "refresh_client":
      return (
        <button type="button" disabled={busy} onClick={onRefresh}>
          {t("remedy.refresh_client")}
        </button>
      );
    case "verify_identity": {
      return (
        <a className="button" href="#membership">
          {t("remedy.verify_identity")}
        </a>
      );
    }
    case "contact_support":
      return <p className="remedy">{t("remedy.contactSupportHint", { code: reason.code })}</p>;
    case "wait":
      return (
        <p className="remedy">
          {until ? t("remedy.waitUntil", { at: formatTime(until) }) : t("remedy.wait")}
        </p>
      );
    case "none":
      return null;
    default:
      return <p className="remedy">{t(remedyHintKey(action))}</p>;
  }
}

/** The remedy in words, as the member's page offers it (a button's label, or what to do). */
export function remedyWords(
  t: Translate,
  formatTime: (iso: string) => string,
  reason: Reason,
): string | null {
  const { action, until } = reason.remedy;
  switch (action) {
    case "claim":
      return t("remedy.claim");
    case "toggle_on":
      return t("remedy.toggle_on");
    case "refresh_client":
      return t("remedy.refresh_client");
    case "verify_identity":
      return t("remedy.verify_identity");
    case "contact_support":
      return t("remedy.contactSupportHint", { code: reason.code });
    case "wait":
      return until ? t("remedy.waitUntil", { at: formatTime(until) }) : t("remedy.wait");
    case "none":
      return null;
    default:
      return t(remedyHintKey(action));
  }
}

function remedyHintKey(action: string) {
  switch (action) {
    case "pay":
      return "remedy.pay" as const;
    case "upgrade_tier":
      return "remedy.upgrade_tier" as const;
    case "update_client":
      return "remedy.update_client" as const;
    default:
      return "remedy.other" as const;
  }
}
