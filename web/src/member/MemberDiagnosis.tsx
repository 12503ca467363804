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
  onContactSupport,
}: {
  client: Client;
  benefits: string[];
  benefitName: (code: string) => string;
  /** A benefit whose "why isn't this working?" was pressed: selected and diagnosed at once. */
  requested: string | null;
  /** "Contact support" under a diagnosis: the benefit and what the member just read. */
  onContactSupport: (benefit: string, diagnosisText: string) => void;
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

  /** The diagnosis in the words the member read: the verdict, then each finding's message. */
  const diagnosisText = (d: Diagnosis) => {
    const name = benefitName(d.benefit);
    const verdict =
      d.verdict === "working"
        ? t("diagnosis.working", { benefit: name })
        : t("diagnosis.notWorking", { benefit: name });
    return [verdict, ...d.findings.map((f) => `- ${f.message}`)].join("\n");
  };

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
      {diagnosis && (
        <>
          <DiagnosisView diagnosis={diagnosis} benefitName={benefitName(diagnosis.benefit)} />
          <p>
            <button
              type="button"
              data-testid="contact-support"
              onClick={() => onContactSupport(diagnosis.benefit, diagnosisText(diagnosis))}
            >
              {t("support.contact")}
            </button>
          </p>
        </>
      )}
    </>
  );
}
