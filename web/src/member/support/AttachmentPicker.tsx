import { useId } from "react";
import { useI18n } from "../../i18n/i18n";
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from "./ticket-types";

/** Up to 5 files of 5 MB, PNG/JPEG/WebP/PDF; a pick over the limits is refused with the reason. */
export function AttachmentPicker({
  onPick,
  onRefused,
}: {
  onPick: (files: File[]) => void;
  onRefused: (reason: Error) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const pick = (list: FileList | null) => {
    const picked = [...(list ?? [])];
    if (picked.length > MAX_ATTACHMENTS) return onRefused(new Error(t("support.tooManyFiles")));
    if (picked.some((f) => f.size > MAX_ATTACHMENT_BYTES))
      return onRefused(new Error(t("support.fileTooBig")));
    onPick(picked);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{t("support.attachments")}</label>
      <input id={id} type="file" multiple accept={ATTACHMENT_TYPES} onChange={(e) => pick(e.target.files)} />
    </div>
  );
}
