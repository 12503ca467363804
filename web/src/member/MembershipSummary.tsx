import { type FormEvent, useId, useState } from "react";
import type { Api } from "../common/api";
import type { Entitlements, Hold } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";

const LIVE_STATUSES = new Set(["active", "in_grace", "scheduled"]);

/** Tier, start and expiry, the source order; then open holds with the identity check that clears them. */
export function MembershipSummary({
  entitlements,
  holds,
  tierName,
  api,
  onChanged,
}: {
  entitlements: Entitlements;
  holds: Hold[];
  tierName: (code: string) => string;
  api: Api;
  onChanged: () => Promise<void>;
}) {
  const { t, tc, formatTime } = useI18n();
  const memberships = entitlements.memberships;
  const current = memberships.filter((m) => LIVE_STATUSES.has(m.status));
  const shown = current.length > 0 ? current : memberships.slice(-1);
  const openHolds = holds.filter((h) => h.status === "open");
  return (
    <div data-testid="membership">
      {shown.length === 0 ? (
        <p>{t("membership.none")}</p>
      ) : (
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
                  {t("membership.sourceOrder")}: <code>{m.sourceOrderId}</code>
                </span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {openHolds.map((hold) => (
        <HoldCard key={hold.holdId} hold={hold} api={api} onChanged={onChanged} />
      ))}
    </div>
  );
}

function HoldCard({ hold, api, onChanged }: { hold: Hold; api: Api; onChanged: () => Promise<void> }) {
  const { t, tc, formatTime } = useI18n();
  const [sent, setSent] = useState<{ expiresAt: string } | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const requestCode = async () => {
    try {
      setSent(await api.post<{ expiresAt: string }>(`/v1/me/holds/${hold.holdId}/verification`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.post(`/v1/me/holds/${hold.holdId}/verify`, { code: code.trim() });
      setError(null);
      await onChanged();
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
