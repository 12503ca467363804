import { useId } from "react";
import { useI18n } from "../../i18n/i18n";

export interface PublishSettings {
  noticeEn: string;
  noticeZh: string;
  policy: "apply_now" | "grandfather";
  effectiveFrom: string;
}

/** The PUT's fields beside the document: the notice (en, zh-CN), the policy, when it comes into force. */
export function publishFields(s: PublishSettings) {
  const notice = {
    ...(s.noticeEn.trim() ? { en: s.noticeEn.trim() } : {}),
    ...(s.noticeZh.trim() ? { "zh-CN": s.noticeZh.trim() } : {}),
  };
  return {
    policy: s.policy,
    ...(Object.keys(notice).length > 0 ? { notice } : {}),
    ...(s.effectiveFrom ? { effectiveFrom: new Date(s.effectiveFrom).toISOString() } : {}),
  };
}

export function PublishFields({
  settings,
  onChange,
}: {
  settings: PublishSettings;
  onChange: (settings: PublishSettings) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const set = (patch: Partial<PublishSettings>) => onChange({ ...settings, ...patch });
  return (
    <fieldset>
      <legend>{t("catalog.publishLegend")}</legend>
      <div className="field">
        <label htmlFor={`${id}-en`}>{t("catalog.noticeEn")}</label>
        <input
          id={`${id}-en`}
          value={settings.noticeEn}
          onChange={(e) => set({ noticeEn: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-zh`}>{t("catalog.noticeZh")}</label>
        <input
          id={`${id}-zh`}
          value={settings.noticeZh}
          onChange={(e) => set({ noticeZh: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-policy`}>{t("catalog.policy")}</label>
        <select
          id={`${id}-policy`}
          value={settings.policy}
          onChange={(e) => set({ policy: e.target.value as PublishSettings["policy"] })}
        >
          <option value="apply_now">{t("policy.apply_now")}</option>
          <option value="grandfather">{t("policy.grandfather")}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>{t("catalog.effectiveFrom")}</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={settings.effectiveFrom}
          onChange={(e) => set({ effectiveFrom: e.target.value })}
        />
      </div>
    </fieldset>
  );
}
