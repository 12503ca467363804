import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ContextFields, contextBody, EMPTY_CONTEXT } from "../common/ContextFields";
import { type Client, unwrap } from "../common/client";
import type { Decision } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { I18nProvider, LANGUAGES, type Language, useI18n } from "../i18n/i18n";
import { remedyWords } from "../member/BenefitList";

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
  const [benefit, setBenefit] = useState(benefits[0] ?? "");
  const [context, setContext] = useState(EMPTY_CONTEXT);
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const id = useId();
  const decide = useMutation({
    mutationFn: async () => ({
      language,
      decision: await unwrap(
        client.POST("/v1/check", {
          body: {
            memberId,
            benefit,
            locale: language,
            ...(contextBody(context) ? { context: contextBody(context) } : {}),
          },
        }),
      ),
    }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    decide.mutate();
  };
  return (
    <>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-benefit`}>{t("diagnose.benefit")}</label>
          <select id={`${id}-benefit`} value={benefit} onChange={(e) => setBenefit(e.target.value)}>
            {benefits.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-language`}>{t("memberPage.decisionLanguage")}</label>
          <select
            id={`${id}-language`}
            value={language}
            onChange={(e) => setLanguage(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {l === "en" ? "English" : "中文"}
              </option>
            ))}
          </select>
        </div>
        <ContextFields draft={context} onChange={setContext} />
        <button type="submit" disabled={!benefit || decide.isPending}>
          {t("memberPage.check")}
        </button>
      </form>
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
