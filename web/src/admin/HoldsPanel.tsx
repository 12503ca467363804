import { type FormEvent, useId, useState } from "react";
import type { Api } from "../common/api";
import type { Hold } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";

const REASONS = ["manual", "chargeback", "shared_device", "unusual_location", "unofficial_channel"];

/** The member's holds (open and cleared); place one, clear an open one with a note. */
export function HoldsPanel({
  api,
  memberId,
  holds,
  benefits,
  onChanged,
}: {
  api: Api;
  memberId: string;
  holds: Hold[];
  benefits: string[];
  onChanged: () => Promise<void>;
}) {
  const { t, tc, formatTime } = useI18n();
  const [reason, setReason] = useState("manual");
  const [benefit, setBenefit] = useState("");
  const [note, setNote] = useState("");
  const [clearNote, setClearNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      await onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const place = (e: FormEvent) => {
    e.preventDefault();
    void act(() =>
      api.post(`/v1/members/${encodeURIComponent(memberId)}/holds`, {
        reason,
        ...(benefit ? { benefits: [benefit] } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
  };
  return (
    <>
      <ErrorMessage error={error} />
      {holds.length === 0 ? (
        <p>{t("holds.none")}</p>
      ) : (
        <ul className="notices" data-testid="holds">
          {holds.map((hold) => (
            <li key={hold.holdId}>
              <strong>{tc("holdReason", hold.reason)}</strong> · {tc("holdStatus", hold.status)} ·{" "}
              {formatTime(hold.placedAt)} ·{" "}
              {hold.benefits ? hold.benefits.join(", ") : t("holds.allBenefits")} · <code>{hold.holdId}</code>
              {hold.status === "open" && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    act(() =>
                      api.post(`/v1/holds/${hold.holdId}/clear`, {
                        note: clearNote.trim() || t("holds.defaultClearNote"),
                      }),
                    )
                  }
                >
                  {t("holds.clear")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`${id}-clear-note`}>{t("holds.clearNote")}</label>
        <input id={`${id}-clear-note`} value={clearNote} onChange={(e) => setClearNote(e.target.value)} />
      </div>
      <form onSubmit={place}>
        <fieldset>
          <legend>{t("holds.place")}</legend>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("holds.reason")}</label>
            <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {tc("holdReason", r)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-benefit`}>{t("holds.benefit")}</label>
            <select id={`${id}-benefit`} value={benefit} onChange={(e) => setBenefit(e.target.value)}>
              <option value="">{t("holds.allBenefits")}</option>
              {benefits.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>{t("holds.note")}</label>
            <input id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </fieldset>
        <button type="submit">{t("holds.placeButton")}</button>
      </form>
    </>
  );
}
