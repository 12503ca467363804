import { type FormEvent, type ReactNode, useId, useState } from "react";
import { LANGUAGES, type Language, useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages-en";
import { ApiError } from "./client";
import type { LiveStatus } from "./live";

export function LanguageSwitcher() {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id}>{t("common.language")}</label>
      <LanguageSelect id={id} value={language} onChange={setLanguage} />
    </div>
  );
}

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { tc } = useI18n();
  return (
    <output className={`live live-${status}`} aria-live="polite" data-testid="live-status">
      {tc("live", status)}
    </output>
  );
}

/** An error from the API, in words; validation details listed. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div className="error" role="alert">
      <strong>{apiError ? apiError.code : t("common.error")}</strong>{" "}
      {error instanceof Error ? error.message : String(error)}
      {apiError && apiError.details.length > 0 && (
        <ul>
          {apiError.details.map((d) => (
            <li key={`${d.path}:${d.message}`}>
              <code>{d.path}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="card">
      <h2 id={`${id}-title`} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The sign-in form: a member token or an operator key, kept in this browser. */
/** The whole page before signing in: the app's header, the last sign-in error, the secret's form. */
export function SignIn({
  brand,
  error,
  title,
  label,
  hint,
  onSignIn,
}: {
  brand: MessageKey;
  error: unknown;
  title: MessageKey;
  label: MessageKey;
  hint: MessageKey;
  onSignIn: (secret: string) => void;
}) {
  const { t } = useI18n();
  const [secret, setSecret] = useState("");
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (secret.trim()) onSignIn(secret.trim());
  };
  return (
    <>
      <Header title={t(brand)} />
      <ErrorMessage error={error} />
      <main id="main" className="signin card">
        <h1>{t(title)}</h1>
        <form onSubmit={submit}>
          <label htmlFor={id}>{t(label)}</label>
          <input
            id={id}
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            aria-describedby={`${id}-hint`}
          />
          <p id={`${id}-hint`} className="hint">
            {t(hint)}
          </p>
          <button type="submit">{t("common.signIn")}</button>
        </form>
      </main>
    </>
  );
}

export function Header({
  title,
  children,
  onSignOut,
}: {
  title: string;
  children?: ReactNode;
  onSignOut?: () => void;
}) {
  const { t } = useI18n();
  return (
    <header className="top">
      <a className="skip" href="#main">
        {t("common.skipToContent")}
      </a>
      <span className="brand">{title}</span>
      <div className="top-tools">
        {children}
        <LanguageSwitcher />
        {onSignOut && (
          <button type="button" className="secondary" onClick={onSignOut}>
            {t("common.signOut")}
          </button>
        )}
      </div>
    </header>
  );
}

/** A used/limit bar: a native meter, so screen readers read the numbers. */
export function QuotaBar({ used, limit, label }: { used: number; limit: number; label: string }) {
  return (
    <meter
      className="quota"
      aria-label={label}
      min={0}
      max={limit}
      value={Math.min(used, limit)}
      low={limit * 0.8}
      high={limit * 0.99}
      optimum={0}
    />
  );
}

/** Our languages, each named in itself. */
export function LanguageSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: Language;
  onChange: (language: Language) => void;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Language)}>
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {l === "en" ? "English" : "中文"}
        </option>
      ))}
    </select>
  );
}
