import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { type Client, unwrap } from "../../common/client";
import { ErrorMessage } from "../../common/ui";
import { useI18n } from "../../i18n/i18n";
import { memberKeys } from "../member-queries";
import { AttachmentPicker } from "./AttachmentPicker";
import { type MemberTicket, nowInZone, readAttachment, type TicketDraft, zonedToIso } from "./ticket-types";

/** The new-ticket form, pre-filled from the diagnosis the member came from (when they did). */
export function NewTicketForm({
  client,
  draft,
  benefits,
  benefitName,
  onOpened,
}: {
  client: Client;
  draft: TicketDraft | null;
  benefits: string[];
  benefitName: (code: string) => string;
  onOpened: (ticket: MemberTicket) => void;
}) {
  const { t, timeZone } = useI18n();
  const queries = useQueryClient();
  const id = useId();
  const [benefit, setBenefit] = useState(draft?.benefit ?? "");
  const [orderId, setOrderId] = useState(draft?.orderId ?? "");
  const [expected, setExpected] = useState(
    draft ? t("support.expectedDefault", { benefit: benefitName(draft.benefit) }) : "",
  );
  const [actual, setActual] = useState(draft?.diagnosisText ?? "");
  const [where, setWhere] = useState("");
  const [occurredAt, setOccurredAt] = useState(() => nowInZone(timeZone));
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const attachments = await Promise.all(files.map(readAttachment));
      const at = zonedToIso(occurredAt, timeZone);
      const ticket = await unwrap(
        client.POST("/v1/me/tickets", {
          body: {
            expected: expected.trim(),
            actual: actual.trim(),
            ...(benefit ? { benefit } : {}),
            ...(orderId.trim() ? { orderId: orderId.trim() } : {}),
            ...(where.trim() ? { where: where.trim() } : {}),
            ...(at ? { occurredAt: at } : {}),
            ...(attachments.length > 0 ? { attachments } : {}),
          },
        }),
      );
      setError(null);
      void queries.invalidateQueries({ queryKey: memberKeys.tickets });
      onOpened(ticket);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} className="ticket-form" data-testid="new-ticket">
      <h3>{t("support.newTicket")}</h3>
      {draft && <p className="muted">{t("support.fromDiagnosis")}</p>}
      <div className="field">
        <label htmlFor={`${id}-benefit`}>{t("support.benefit")}</label>
        <select id={`${id}-benefit`} value={benefit} onChange={(e) => setBenefit(e.target.value)}>
          <option value="">{t("support.noBenefit")}</option>
          {benefits.map((code) => (
            <option key={code} value={code}>
              {benefitName(code)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-order`}>{t("support.order")}</label>
        <input
          id={`${id}-order`}
          value={orderId}
          onChange={(e) => setOrderId(e.target.value)}
          translate="no"
          data-testid="ticket-order"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-expected`}>{t("support.expected")}</label>
        <textarea
          id={`${id}-expected`}
          required
          maxLength={4000}
          value={expected}
          onChange={(e) => setExpected(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-actual`}>{t("support.actual")}</label>
        <textarea
          id={`${id}-actual`}
          required
          maxLength={4000}
          rows={5}
          value={actual}
          onChange={(e) => setActual(e.target.value)}
          data-testid="ticket-actual"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-where`}>{t("support.where")}</label>
        <input id={`${id}-where`} maxLength={500} value={where} onChange={(e) => setWhere(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-when`}>{t("support.occurredAt", { zone: timeZone ?? "" })}</label>
        <input
          id={`${id}-when`}
          type="datetime-local"
          value={occurredAt}
          onChange={(e) => setOccurredAt(e.target.value)}
        />
      </div>
      <AttachmentPicker
        onPick={(picked) => {
          setError(null);
          setFiles(picked);
        }}
        onRefused={setError}
      />
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {t("support.send")}
      </button>
    </form>
  );
}
