import { type FormEvent, useId, useState } from "react";
import type { RequestBody } from "../common/api-types";
import type { Client } from "../common/client";
import type { MemberHold } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useHoldActions } from "./admin-queries";

type PlaceReason = RequestBody<"/v1/members/{memberId}/holds", "post">["reason"];
const REASONS: PlaceReason[] = [
  "manual",
  "chargeback",
  "shared_device",
  "unusual_location",
  "unofficial_channel",
];

/**
 * The member's holds (open and cleared); place one, clear an open one with a note. The member page
 * reads the holds again when the change answers (and when its event arrives).
 */
export function HoldsPanel({
  client,
  memberId,
  holds,
  benefits,
}: {
  client: Client;
  memberId: string;
  holds: MemberHold[];
  benefits: string[];
}) {
  const { t, tc, formatTime } = useI18n();
  const [reason, setReason] = useState<PlaceReason>("manual");
  const [benefit, setBenefit] = useState("");
  const [note, setNote] = useState("");
  const [clearNote, setClearNote] = useState("");
  const id = useId();
  const { place, clear } = useHoldActions(client, memberId);
  // The last action's failure; starting the other one clears it.
  const error = place.error ?? clear.error;
  const onPlace = (e: FormEvent) => {
    e.preventDefault();
    clear.reset();
    place.mutate({
      reason,
      ...(benefit ? { benefits: [benefit] } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };
  const onClear = (holdId: string) => {
    place.reset();
    clear.mutate({ holdId, note: clearNote.trim() || t("holds.defaultClearNote") });
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
                  disabled={clear.isPending}
                  onClick={() => onClear(hold.holdId)}
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
      <form onSubmit={onPlace}>
        <fieldset>
          <legend>{t("holds.place")}</legend>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("holds.reason")}</label>
            <select
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => setReason(e.target.value as PlaceReason)}
            >
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
        <button type="submit" disabled={place.isPending}>
          {t("holds.placeButton")}
        </button>
      </form>
    </>
  );
}
