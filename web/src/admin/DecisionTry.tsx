import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { type Client, unwrap } from "../common/client";
import type { Decision } from "../common/types";
import { ErrorMessage, LanguageSelect } from "../common/ui";
import { I18nProvider, type Language, useI18n } from "../i18n/i18n";
import { remedyWords } from "../member/BenefitList";
import { BenefitContextForm } from "./MemberTools";

/**
 * A decision tried live (`POST /v1/check`) with the context the form sets, in the language chosen on
 * the form (`locale` in the body wins over the member's stored one): every reason and remedy as the
 * member would read them in that language.
 */
export function DecisionTry({
  client,
  memberId,
  benefits,
}: {
  client: Client;
  memberId: string;
  benefits: string[];
}) {
  const { t, language: uiLanguage } = useI18n();
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const id = useId();
  const decide = useMutation({
    mutationFn: async (input: { benefit: string; context: Record<string, unknown> | undefined }) => ({
      language,
      decision: await unwrap(
        client.POST("/v1/check", {
          body: {
            memberId,
            benefit: input.benefit,
            locale: language,
            ...(input.context ? { context: input.context } : {}),
          },
        }),
      ),
    }),
  });
  return (
    <>
      <BenefitContextForm
        benefits={benefits}
        submitLabel={t("memberPage.check")}
        onRun={(benefit, context) => decide.mutate({ benefit, context })}
        extra={
          <div className="field">
            <label htmlFor={id}>{t("memberPage.decisionLanguage")}</label>
            <LanguageSelect id={id} value={language} onChange={setLanguage} />
          </div>
        }
      />
      <ErrorMessage error={decide.error} />
      {decide.data && (
        <div aria-live="polite" data-testid="decision">
          <p className={`verdict ${decide.data.decision.allowed ? "working" : "not_working"}`}>
            {decide.data.decision.allowed ? t("memberPage.allowed") : t("memberPage.denied")}
          </p>
          <p className="muted">{t("memberPage.asMemberReads")}</p>
          <I18nProvider fixed={decide.data.language}>
            <MemberWords decision={decide.data.decision} language={decide.data.language} />
          </I18nProvider>
        </div>
      )}
    </>
  );
}

/** The reasons and remedies in the member's words, marked with their language. */
function MemberWords({ decision, language }: { decision: Decision; language: Language }) {
  const { t, formatTime } = useI18n();
  return (
    <ul lang={language} data-testid="decision-reasons">
      {decision.reasons.map((r) => {
        const remedy = remedyWords(t, formatTime, r);
        return (
          <li key={r.code}>
            <code>{r.code}</code> {r.message}
            {remedy && <span className="remedy"> · {remedy}</span>}
          </li>
        );
      })}
    </ul>
  );
}
