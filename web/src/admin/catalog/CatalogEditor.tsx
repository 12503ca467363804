import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useMemo, useRef, useState } from "react";
import { ApiError, type Client, unwrap } from "../../common/client";
import { Loaded } from "../../common/Loaded";
import { ErrorMessage, Section } from "../../common/ui";
import { useI18n } from "../../i18n/i18n";
import { adminKeys, documentOf, useCatalogInForce } from "../admin-queries";
import { CodeEditor, type EditorControl, type MarkedProblem } from "./CodeEditor";
import {
  CONTENT_TYPES,
  documentText,
  type EditorMode,
  type Located,
  locate,
  parseText,
  putBodyText,
} from "./catalog-text";
import { PublishFields, type PublishSettings, publishFields } from "./PublishFields";
import { type Preview, PublishPreview } from "./PublishPreview";

const NONE: never[] = [];

/**
 * The catalog as a JSON or YAML document in CodeMirror: schema completion and errors as you type;
 * "Check and preview" asks the server (`PUT ?dryRun=true`, nothing written) and marks its problems
 * at their lines, or shows what publishing would change and for whom; publishing then asks for the
 * confirmation the server needs when something members hold is removed.
 */
export function CatalogEditor({ client }: { client: Client }) {
  const { t } = useI18n();
  const current = useCatalogInForce(client);
  return (
    <Section id="catalog" title={t("catalog.title")}>
      <Loaded query={current}>
        {(record) => <Editor client={client} version={record.version} document={documentOf(record)} />}
      </Loaded>
    </Section>
  );
}

function Editor({ client, version, document }: { client: Client; version: number; document: unknown }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const id = useId();
  const [mode, setMode] = useState<EditorMode>("json");
  const [text, setText] = useState(() => documentText(document, "json"));
  const [settings, setSettings] = useState<PublishSettings>({
    noticeEn: "",
    noticeZh: "",
    policy: "apply_now",
    effectiveFrom: "",
  });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [modeError, setModeError] = useState<string | null>(null);
  const control = useRef<EditorControl | null>(null);
  // The server's problems, placed in the text that was sent; the editor maps them through later edits.
  const [located, setLocated] = useState<Located[]>(NONE);
  const [marks, setMarks] = useState<MarkedProblem[]>(NONE);
  const placeProblems = (error: unknown, sentText: string) => {
    const problems =
      error instanceof ApiError && error.code !== "CATALOG_CHANGE_NEEDS_CONFIRMATION" ? error.details : NONE;
    setLocated(problems.length > 0 ? locate(sentText, mode, problems) : NONE);
  };

  const parsed = useMemo(() => parseText(text, mode), [text, mode]);
  const put = (dryRun: boolean, confirm: boolean) => {
    const fields = { ...publishFields(settings), ...(confirm ? { confirm: "remove" as const } : {}) };
    const body = putBodyText(text, mode, fields);
    return unwrap(
      client.PUT("/v1/catalog", {
        params: { query: dryRun ? { dryRun: true } : {} },
        // The text is sent as written (JSON or YAML); the typed body is what it parses to.
        body: parsed.ok ? ({ ...parsed.value, ...fields } as never) : (undefined as never),
        bodySerializer: () => body,
        headers: { "content-type": CONTENT_TYPES[mode] },
      }),
    );
  };

  const check = useMutation({
    mutationFn: async (forText: string) => ({ forText, result: await put(true, false) }),
    onSuccess: ({ forText, result }) => {
      setLocated(NONE);
      const after = parseText(forText, mode);
      setPreview({
        forText,
        result,
        before: documentText(document, "json"),
        after: after.ok ? documentText(after.value, "json") : "",
      });
      setPublished(null);
    },
    onError: (error, forText) => {
      setPreview(null);
      placeProblems(error, forText);
    },
  });
  const publish = useMutation({
    mutationFn: (confirm: boolean) => put(false, confirm),
    onError: (error) => placeProblems(error, text),
    onSuccess: (result) => {
      setLocated(NONE);
      setPublished(result.version);
      setPreview(null);
      check.reset();
      void queries.invalidateQueries({ queryKey: adminKeys.catalog });
    },
  });

  const failure = publish.error ?? check.error;
  const apiError = failure instanceof ApiError ? failure : null;
  // A change that removes what members hold is not a problem in the document: it needs a confirmation.
  const removals = apiError?.code === "CATALOG_CHANGE_NEEDS_CONFIRMATION" ? apiError.details : NONE;
  const details = apiError && removals.length === 0 ? apiError.details : NONE;
  const lineOf = new Map(located.map((p) => [`${p.path}\n${p.message}`, p]));

  const switchMode = (next: EditorMode) => {
    if (next === mode) return;
    if (!parsed.ok) {
      setModeError(t("catalog.cannotConvert", { message: parsed.message }));
      return;
    }
    setModeError(null);
    setText(documentText(parsed.value, next));
    setMode(next);
    setPreview(null);
    setLocated(NONE);
    check.reset();
    publish.reset();
  };
  const onCheck = (e: FormEvent) => {
    e.preventDefault();
    publish.reset();
    check.mutate(text);
  };

  return (
    <>
      <p className="muted">{t("catalog.inForce", { version })}</p>
      <form onSubmit={onCheck}>
        <fieldset className="mode-switch">
          <legend>{t("catalog.format")}</legend>
          {(["json", "yaml"] as const).map((m) => (
            <label key={m}>
              <input type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => switchMode(m)} />{" "}
              {t(m === "json" ? "catalog.formatJson" : "catalog.formatYaml")}
            </label>
          ))}
        </fieldset>
        {modeError && <p className="error">{modeError}</p>}
        <CodeEditor
          text={text}
          mode={mode}
          label={t(mode === "json" ? "catalog.document" : "catalog.documentYaml")}
          problems={located}
          control={control}
          onChange={setText}
          onProblems={setMarks}
        />
        <p className="muted">{t("catalog.editorHint")}</p>
        <div id={`${id}-problems`} aria-live="polite">
          {!parsed.ok && (
            <p className="error" data-testid="syntax-error">
              {t(mode === "json" ? "catalog.syntaxError" : "catalog.syntaxErrorYaml", {
                message: parsed.message,
              })}
            </p>
          )}
          {marks.length > 0 && (
            <div className="error" data-testid="editor-problems">
              <p>{t("catalog.editorProblems", { count: marks.length })}</p>
              <ul className="inline-errors">
                {marks.map((m) => (
                  <li key={`${m.from}:${m.message}`}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => control.current?.select(m.from, m.to)}
                    >
                      {t("catalog.line", { line: m.line })}
                    </button>{" "}
                    {/* The schema library's messages are English only. */}
                    <span lang="en">{m.message}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {details.length > 0 && (
            <div className="error" data-testid="catalog-errors">
              <p>{t("catalog.problems", { count: details.length })}</p>
              <ul className="inline-errors">
                {details.map((d) => {
                  const at = lineOf.get(`${d.path}\n${d.message}`);
                  return (
                    <li key={`${d.path}:${d.message}`}>
                      {at ? (
                        <button
                          type="button"
                          className="link"
                          onClick={() => control.current?.select(at.from, at.to)}
                        >
                          {t("catalog.line", { line: at.line })} <code>{d.path}</code>
                        </button>
                      ) : (
                        <code>{d.path}</code>
                      )}{" "}
                      {/* The server's validation messages are English only. */}
                      <span lang="en">{d.message}</span>
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
          {removals.length > 0 && (
            <div className="error" data-testid="catalog-removals">
              <p>{t("catalog.removals", { count: removals.length })}</p>
              <ul className="inline-errors">
                {removals.map((d) => (
                  <li key={d.message} lang="en">
                    {d.message}
                  </li>
                ))}
              </ul>
              <button type="button" onClick={() => publish.mutate(true)}>
                {t("catalog.removeAnyway")}
              </button>
            </div>
          )}
          {failure !== null && details.length === 0 && removals.length === 0 && (
            <ErrorMessage error={failure} />
          )}
        </div>
        <PublishFields settings={settings} onChange={setSettings} />
        <button type="submit" disabled={!parsed.ok || check.isPending}>
          {check.isPending ? t("common.loading") : t("catalog.check")}
        </button>
      </form>
      {preview && (
        <PublishPreview
          preview={preview}
          current={version}
          stale={preview.forText !== text}
          publishing={publish.isPending}
          onPublish={(confirm) => publish.mutate(confirm)}
        />
      )}
      {published !== null && (
        <p role="status" className="badge ok" data-testid="published">
          {t("catalog.published", { version: published })}
        </p>
      )}
    </>
  );
}
