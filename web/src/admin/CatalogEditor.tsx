import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { type Api, ApiError } from "../common/api";
import { ErrorMessage, Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { useLoad } from "./useLoad";

interface CatalogInForce {
  version: number;
  createdAt: string;
  [field: string]: unknown;
}

/** The JSON line a validation path (`/tiers/0/plans/0/period`) points at, found by walking the keys. */
export function lineOfPath(text: string, path: string): number | null {
  const keys = path.split("/").filter(Boolean);
  let from = 0;
  for (const key of keys) {
    if (/^\d+$/.test(key)) continue; // array indexes: the next key's search starts where we are
    const at = text.indexOf(`"${key}"`, from);
    if (at < 0) break;
    from = at + 1;
  }
  return from === 0 ? null : text.slice(0, from).split("\n").length;
}

/** The catalog as a JSON document: edit, see every problem inline, publish with a notice and a policy. */
export function CatalogEditor({ api, onError }: { api: Api; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const load = useCallback(() => api.get<CatalogInForce>("/v1/catalog"), [api]);
  const { value: current, error: loadError, reload } = useLoad(load, onError);
  const [text, setText] = useState("");
  const [noticeEn, setNoticeEn] = useState("");
  const [noticeZh, setNoticeZh] = useState("");
  const [policy, setPolicy] = useState("apply_now");
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [result, setResult] = useState<{ version: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const editor = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useEffect(() => {
    if (!current) return;
    const { version: _version, createdAt: _createdAt, ...document } = current;
    setText(JSON.stringify(document, null, 2));
  }, [current]);

  const syntaxError = useMemo(() => {
    if (!text) return null;
    try {
      JSON.parse(text);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }, [text]);
  const apiError = error instanceof ApiError ? error : null;
  // A change that removes what members hold is not a problem in the document: it needs a confirmation.
  const removals = apiError?.code === "CATALOG_CHANGE_NEEDS_CONFIRMATION" ? apiError.details : [];
  const details = apiError && removals.length === 0 ? apiError.details : [];

  const jumpTo = (path: string) => {
    const line = lineOfPath(text, path);
    const area = editor.current;
    if (!area || line === null) return;
    const start =
      text
        .split("\n")
        .slice(0, line - 1)
        .join("\n").length + (line > 1 ? 1 : 0);
    area.focus();
    area.setSelectionRange(start, start + (text.split("\n")[line - 1]?.length ?? 0));
  };

  const publish = async (e: FormEvent, confirm = false) => {
    e.preventDefault();
    if (syntaxError) return;
    const body: Record<string, unknown> = { ...JSON.parse(text), policy };
    if (confirm) body.confirm = "remove";
    const notice = {
      ...(noticeEn.trim() ? { en: noticeEn.trim() } : {}),
      ...(noticeZh.trim() ? { "zh-CN": noticeZh.trim() } : {}),
    };
    if (Object.keys(notice).length > 0) body.notice = notice;
    if (effectiveFrom) body.effectiveFrom = new Date(effectiveFrom).toISOString();
    try {
      setResult(await api.put<{ version: number }>("/v1/catalog", body));
      setError(null);
      await reload();
    } catch (err) {
      setResult(null);
      setError(err);
      onError(err);
    }
  };

  return (
    <Section id="catalog" title={t("catalog.title")}>
      <ErrorMessage error={loadError} />
      {current && <p className="muted">{t("catalog.inForce", { version: current.version })}</p>}
      <form onSubmit={publish}>
        <div className="field">
          <label htmlFor={`${id}-doc`}>{t("catalog.document")}</label>
          <textarea
            id={`${id}-doc`}
            ref={editor}
            rows={24}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={syntaxError !== null || details.length > 0}
            aria-describedby={`${id}-problems`}
          />
        </div>
        <div id={`${id}-problems`} aria-live="polite">
          {syntaxError && <p className="error">{t("catalog.syntaxError", { message: syntaxError })}</p>}
          {details.length > 0 && (
            <div className="error" data-testid="catalog-errors">
              <p>{t("catalog.problems", { count: details.length })}</p>
              <ul className="inline-errors">
                {details.map((d) => (
                  <li key={`${d.path}:${d.message}`}>
                    <button type="button" className="link" onClick={() => jumpTo(d.path)}>
                      <code>{d.path}</code>
                    </button>{" "}
                    {d.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {removals.length > 0 && (
            <div className="error" data-testid="catalog-removals">
              <p>{t("catalog.removals", { count: removals.length })}</p>
              <ul className="inline-errors">
                {removals.map((d) => (
                  <li key={d.message}>{d.message}</li>
                ))}
              </ul>
              <button type="button" onClick={(e) => publish(e, true)}>
                {t("catalog.removeAnyway")}
              </button>
            </div>
          )}
          {error !== null && details.length === 0 && removals.length === 0 && <ErrorMessage error={error} />}
        </div>
        <fieldset>
          <legend>{t("catalog.publishLegend")}</legend>
          <div className="field">
            <label htmlFor={`${id}-en`}>{t("catalog.noticeEn")}</label>
            <input id={`${id}-en`} value={noticeEn} onChange={(e) => setNoticeEn(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-zh`}>{t("catalog.noticeZh")}</label>
            <input id={`${id}-zh`} value={noticeZh} onChange={(e) => setNoticeZh(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-policy`}>{t("catalog.policy")}</label>
            <select id={`${id}-policy`} value={policy} onChange={(e) => setPolicy(e.target.value)}>
              <option value="apply_now">{t("policy.apply_now")}</option>
              <option value="grandfather">{t("policy.grandfather")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t("catalog.effectiveFrom")}</label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={effectiveFrom}
              onChange={(e) => setEffectiveFrom(e.target.value)}
            />
          </div>
        </fieldset>
        <button type="submit" disabled={syntaxError !== null || !text}>
          {t("catalog.publish")}
        </button>
      </form>
      {result && (
        <p role="status" className="badge ok" data-testid="published">
          {t("catalog.published", { version: result.version })}
        </p>
      )}
    </Section>
  );
}
