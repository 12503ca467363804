/** The member's actions on a ticket: answer (with files), escalate, rate. */
import { type FormEvent, useId, useState } from "react";
import { ErrorMessage } from "../../common/ui";
import { useI18n } from "../../i18n/i18n";
import { AttachmentPicker } from "./AttachmentPicker";
import { readAttachment } from "./ticket-types";

export function ReplyForm({
  busy,
  label,
  onSend,
}: {
  busy: boolean;
  label: string;
  onSend: (text: string, attachments: { filename: string; content: string }[]) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [refused, setRefused] = useState<unknown>(null);
  // A new picker after each sent answer, so the chosen files are cleared with the text.
  const [sent, setSent] = useState(0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const attachments = await Promise.all(files.map(readAttachment));
    if ((await onSend(text.trim(), attachments)) !== null) {
      setText("");
      setFiles([]);
      setSent((n) => n + 1);
    }
  };
  return (
    <form onSubmit={submit} className="reply-form">
      <label htmlFor={id}>{t("support.yourAnswer")}</label>
      <textarea id={id} required maxLength={10_000} value={text} onChange={(e) => setText(e.target.value)} />
      <AttachmentPicker
        key={sent}
        onPick={(picked) => {
          setRefused(null);
          setFiles(picked);
        }}
        onRefused={setRefused}
      />
      <ErrorMessage error={refused} />
      <button type="submit" disabled={busy || !text.trim()}>
        {label}
      </button>
    </form>
  );
}

export function EscalateForm({ busy, onSend }: { busy: boolean; onSend: (reason: string) => Promise<void> }) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState("");
  return (
    <form
      className="escalate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSend(reason.trim());
      }}
    >
      <p>{t("support.escalateWhy")}</p>
      <label htmlFor={id}>{t("support.escalateReason")}</label>
      <input id={id} required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" disabled={busy || !reason.trim()} data-testid="escalate">
        {t("support.escalate")}
      </button>
    </form>
  );
}

export function RatingForm({
  busy,
  onSend,
}: {
  busy: boolean;
  onSend: (score: number, comment: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  return (
    <form
      className="rating-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSend(score, comment.trim());
      }}
    >
      <fieldset>
        <legend>{t("support.rate")}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="inline">
            <input
              type="radio"
              name={`${id}-score`}
              value={n}
              checked={score === n}
              onChange={() => setScore(n)}
            />{" "}
            {n}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-comment`}>{t("support.comment")}</label>
      <input
        id={`${id}-comment`}
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <button type="submit" disabled={busy || score === 0}>
        {t("support.sendRating")}
      </button>
    </form>
  );
}
