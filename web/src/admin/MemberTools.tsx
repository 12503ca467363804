import { type FormEvent, type ReactNode, useId, useState } from "react";
import type { Api } from "../common/api";
import { ContextFields, contextBody, EMPTY_CONTEXT } from "../common/ContextFields";
import { DiagnosisView } from "../common/DiagnosisView";
import type { Diagnosis } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";

/** The benefit picker and context form both tools share; `onRun` gets the request body; `extra`, more fields. */
export function BenefitContextForm({
  benefits,
  submitLabel,
  onRun,
  extra,
}: {
  benefits: string[];
  submitLabel: string;
  onRun: (benefit: string, context: Record<string, unknown> | undefined) => Promise<void> | void;
  extra?: ReactNode;
}) {
  const { t } = useI18n();
  const [benefit, setBenefit] = useState(benefits[0] ?? "");
  const [context, setContext] = useState(EMPTY_CONTEXT);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onRun(benefit, contextBody(context));
  };
  return (
    <form onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{t("diagnose.benefit")}</label>
        <select id={id} value={benefit} onChange={(e) => setBenefit(e.target.value)}>
          {benefits.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </div>
      {extra}
      <ContextFields draft={context} onChange={setContext} />
      <button type="submit" disabled={!benefit}>
        {submitLabel}
      </button>
    </form>
  );
}

/** The support diagnosis of any member (`POST /v1/members/{id}/diagnose`). */
export function DiagnoseTry({ api, memberId, benefits }: { api: Api; memberId: string; benefits: string[] }) {
  const { t } = useI18n();
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (benefit: string, context: Record<string, unknown> | undefined) => {
    try {
      setDiagnosis(
        await api.post<Diagnosis>(`/v1/members/${encodeURIComponent(memberId)}/diagnose`, {
          benefit,
          context,
        }),
      );
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <BenefitContextForm benefits={benefits} submitLabel={t("diagnose.run")} onRun={run} />
      <ErrorMessage error={error} />
      {diagnosis && <DiagnosisView diagnosis={diagnosis} benefitName={diagnosis.benefit} />}
    </>
  );
}
