import { useI18n } from "../i18n/i18n";
import type { Diagnosis } from "./types";

const STEP_ICON: Record<string, string> = { pass: "✓", fail: "✗", skip: "–" };

/** A diagnosis as a checklist (the self-check steps), then each finding with what to do. */
export function DiagnosisView({ diagnosis, benefitName }: { diagnosis: Diagnosis; benefitName: string }) {
  const { t, tc } = useI18n();
  return (
    <div className="diagnosis" data-testid="diagnosis" aria-live="polite">
      <p className={`verdict ${diagnosis.verdict}`}>
        {diagnosis.verdict === "working"
          ? t("diagnosis.working", { benefit: benefitName })
          : t("diagnosis.notWorking", { benefit: benefitName })}
      </p>
      <ol className="checklist">
        {diagnosis.steps.map((step) => (
          <li key={step.step} className={`step step-${step.status}`} data-step={step.step}>
            <span className="step-icon" aria-hidden="true">
              {STEP_ICON[step.status]}
            </span>
            <span>
              <strong>{tc("step", step.step)}</strong>{" "}
              <span className="visually-hidden">({tc("stepStatus", step.status)})</span>
              <br />
              {step.detail}
            </span>
          </li>
        ))}
      </ol>
      {diagnosis.findings.length > 0 && (
        <>
          <h3>{t("diagnosis.findings")}</h3>
          <ul className="findings">
            {diagnosis.findings.map((finding) => (
              <li key={`${finding.code}:${finding.cause}`} data-code={finding.code}>
                <p>
                  <code>{finding.code}</code> {finding.message}
                  {finding.autoFixed && <span className="badge ok"> {t("diagnosis.autoFixed")}</span>}
                </p>
                <p className="remedy">
                  {t("diagnosis.nextStep")}: {tc("remedy", finding.remedy.action)}
                </p>
                {finding.evidence.length > 0 && (
                  <details>
                    <summary>{t("diagnosis.evidence", { count: finding.evidence.length })}</summary>
                    <pre>{JSON.stringify(finding.evidence, null, 2)}</pre>
                  </details>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
