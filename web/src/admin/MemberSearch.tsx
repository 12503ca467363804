import { type FormEvent, useId, useState } from "react";
import type { Client } from "../common/client";
import { Loaded } from "../common/Loaded";
import { Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useMemberSearch } from "./admin-queries";

/** Find a member by id prefix or name; each result opens the member page. */
export function MemberSearch({ client }: { client: Client }) {
  const { t } = useI18n();
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState("");
  const id = useId();
  const results = useMemberSearch(client, submitted);
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
      <Loaded query={results}>
        {({ members }) =>
          members.length === 0 ? (
            <p>{t("members.none")}</p>
          ) : (
            <ul data-testid="member-results">
              {members.map((m) => (
                <li key={m.memberId}>
                  <a href={`#members/${encodeURIComponent(m.memberId)}`}>{m.memberId}</a>{" "}
                  {m.displayName && <bdi translate="no">{m.displayName}</bdi>}{" "}
                  <span className="muted">{t("members.version", { version: m.entitlementsVersion })}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Section>
  );
}
