import { type FormEvent, useEffect, useId, useState } from "react";
import { ContextFields, contextBody, EMPTY_CONTEXT } from "../common/ContextFields";
import { type Client, unwrap } from "../common/client";
import { DiagnosisView } from "../common/DiagnosisView";
import type { Diagnosis } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";

/** "Why isn't this working?": pick the benefit and the situation, get the self-check as a checklist. */
export function MemberDiagnosis({
  client,
  benefits,
  benefitName,
  requested,
}: {
  client: Client;
  benefits: string[];
  benefitName: (code: string) => string;
  /** A benefit whose "why isn't this working?" was pressed: selected and diagnosed at once. */
  requested: string | null;
}) {
  const { t } = useI18n();
  const [benefit, setBenefit] = useState(requested ?? benefits[0] ?? "");
  const [context, setContext] = useState(EMPTY_CONTEXT);
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const run = async (code: string) => {
    setBusy(true);
    try {
      const answer = await unwrap(
        client.POST("/v1/me/diagnose", { body: { benefit: code, context: contextBody(context) } }),
      );
      if ("benefit" in answer) setDiagnosis(answer as Diagnosis);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when another benefit is asked about
  useEffect(() => {
    if (requested) {
      setBenefit(requested);
      void run(requested);
    }
  }, [requested]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(benefit);
  };
  return (
    <>
      <p>{t("diagnose.intro")}</p>
      <form onSubmit={submit} className="diagnose-form">
        <div className="field">
          <label htmlFor={id}>{t("diagnose.benefit")}</label>
          <select id={id} value={benefit} onChange={(e) => setBenefit(e.target.value)}>
            {benefits.map((code) => (
              <option key={code} value={code}>
                {benefitName(code)}
              </option>
            ))}
          </select>
        </div>
        <ContextFields draft={context} onChange={setContext} />
        <button type="submit" disabled={busy || !benefit}>
          {t("diagnose.run")}
        </button>
      </form>
      <ErrorMessage error={error} />
      {diagnosis && <DiagnosisView diagnosis={diagnosis} benefitName={benefitName(diagnosis.benefit)} />}
    </>
  );
}
