import { type FormEvent, useCallback, useId, useState } from "react";
import type { Api } from "../common/api";
import { ErrorMessage, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useLoad } from "./useLoad";

interface MemberSummary {
  memberId: string;
  displayName: string | null;
  locale: string | null;
  entitlementsVersion: number;
}

/** Find a member by id prefix or name; each result opens the member page. */
export function MemberSearch({ api, onError }: { api: Api; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState("");
  const id = useId();
  const load = useCallback(
    () => api.get<{ members: MemberSummary[] }>(`/v1/members?q=${encodeURIComponent(submitted)}&limit=50`),
    [api, submitted],
  );
  const { value, error } = useLoad(load, onError);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(query);
  };
  return (
    <Section id="members" title={t("members.title")}>
      <search>
        <form onSubmit={submit} className="row">
          <div className="field">
            <label htmlFor={id}>{t("members.search")}</label>
            <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <button type="submit">{t("members.searchButton")}</button>
        </form>
      </search>
      <ErrorMessage error={error} />
      {value &&
        (value.members.length === 0 ? (
          <p>{t("members.none")}</p>
        ) : (
          <ul data-testid="member-results">
            {value.members.map((m) => (
              <li key={m.memberId}>
                <a href={`#members/${encodeURIComponent(m.memberId)}`}>{m.memberId}</a>{" "}
                {m.displayName && <bdi translate="no">{m.displayName}</bdi>}{" "}
                <span className="muted">{t("members.version", { version: m.entitlementsVersion })}</span>
              </li>
            ))}
          </ul>
        ))}
    </Section>
  );
}
