import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ContextFields, contextBody, EMPTY_CONTEXT } from "../common/ContextFields";
import type { Client } from "../common/client";
import { DiagnosisView } from "../common/DiagnosisView";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useDiagnose } from "./admin-queries";

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

/**
 * The support diagnosis of any member (`POST /v1/members/{id}/diagnose`), worded in the console's
 * language (an operator's Accept-Language wins over the member's stored locale).
 */
export function DiagnoseTry({
  client,
  memberId,
  benefits,
}: {
  client: Client;
  memberId: string;
  benefits: string[];
}) {
  const { t } = useI18n();
  const diagnose = useDiagnose(client, memberId);
  const diagnosis = diagnose.data && "benefit" in diagnose.data ? diagnose.data : null;
  return (
    <>
      <BenefitContextForm
        benefits={benefits}
        submitLabel={t("diagnose.run")}
        onRun={(benefit, context) => diagnose.mutate({ benefit, ...(context ? { context } : {}) })}
      />
      <ErrorMessage error={diagnose.error} />
      {diagnose.isPending && (
        <p aria-busy="true" data-testid="loading">
          {t("common.loading")}
        </p>
      )}
      {diagnosis && <DiagnosisView diagnosis={diagnosis} benefitName={diagnosis.benefit} />}
    </>
  );
}
