/**
 * CodeMirror 6 over the catalog text: JSON or YAML with completion, hover and inline errors from
 * the catalog's JSON Schema (codemirror-json-schema), plus the server's problems of the last check
 * marked at their lines (they follow the text as it is edited until the next check).
 */

import catalogDocumentSchema from "virtual:catalog-schema";
import { type Diagnostic, forEachDiagnostic, linter, lintGutter } from "@codemirror/lint";
import { Compartment, EditorSelection, StateEffect, StateField } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { jsonSchema } from "codemirror-json-schema";
import { yamlSchema } from "codemirror-json-schema/yaml";
import { useEffect, useRef } from "react";
import type { EditorMode, Located } from "./catalog-text";
import { toDraft04 } from "./draft04";

/**
 * The server's TypeBox schema of the document, as the JSON Schema it is, evaluated at build time
 * (web/vite.config.ts): the UI is built from the same tree and served by the same server, so it
 * cannot drift from what the PUT validates, and the editor needs no extra request (or route) to start.
 */
const CATALOG_SCHEMA = toDraft04(catalogDocumentSchema) as Parameters<typeof jsonSchema>[0];

const setServerProblems = StateEffect.define<Located[]>();
const serverProblems = StateField.define<Diagnostic[]>({
  create: () => [],
  update(value, tr) {
    for (const effect of tr.effects)
      if (effect.is(setServerProblems))
        return effect.value.map((p) => ({
          from: p.from,
          to: p.to,
          severity: "error" as const,
          source: "server",
          message: `${p.path}: ${p.message}`,
        }));
    if (!tr.docChanged) return value;
    return value.map((d) => ({ ...d, from: tr.changes.mapPos(d.from), to: tr.changes.mapPos(d.to, 1) }));
  },
});
const serverLinter = linter((view) => view.state.field(serverProblems), {
  delay: 0,
  needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(setServerProblems))),
});

const attributesOf = (name: string) =>
  EditorView.contentAttributes.of({ "aria-label": name, "data-testid": "catalog-code" });

const languageOf = (mode: EditorMode) =>
  mode === "json" ? jsonSchema(CATALOG_SCHEMA) : yamlSchema(CATALOG_SCHEMA);

/** A problem the editor marks as the operator types (schema, syntax), with its line for the list beside. */
export interface MarkedProblem {
  from: number;
  to: number;
  line: number;
  message: string;
}

/** The editor's own marks (the server's are listed from its answer). */
function ownProblems(view: EditorView): MarkedProblem[] {
  const found: MarkedProblem[] = [];
  forEachDiagnostic(view.state, (d, from, to) => {
    if (d.source !== "server")
      found.push({ from, to, line: view.state.doc.lineAt(from).number, message: d.message });
  });
  return found;
}

export interface EditorControl {
  /** Selects `from`–`to`, scrolls it into view and focuses the editor. */
  select(from: number, to: number): void;
}

export function CodeEditor({
  text,
  mode,
  label,
  problems,
  onChange,
  onProblems,
  control,
}: {
  text: string;
  mode: EditorMode;
  label: string;
  problems: Located[];
  onChange: (text: string) => void;
  onProblems: (problems: MarkedProblem[]) => void;
  control: React.RefObject<EditorControl | null>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const attributes = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
  const marked = useRef(onProblems);
  marked.current = onProblems;
  const lastMarks = useRef("");

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later props arrive by the effects below
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current as HTMLDivElement,
      doc: text,
      extensions: [
        basicSetup,
        language.current.of(languageOf(mode)),
        lintGutter(),
        serverProblems,
        serverLinter,
        attributes.current.of(attributesOf(label)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
          const marks = ownProblems(update.view);
          const key = JSON.stringify(marks);
          if (key !== lastMarks.current) {
            lastMarks.current = key;
            marked.current(marks);
          }
        }),
      ],
    });
    view.current = editor;
    control.current = {
      select(from, to) {
        editor.dispatch({ selection: EditorSelection.single(from, to), scrollIntoView: true });
        editor.focus();
      },
    };
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== text)
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  }, [text]);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(languageOf(mode)) });
  }, [mode]);

  useEffect(() => {
    view.current?.dispatch({ effects: setServerProblems.of(problems) });
  }, [problems]);

  useEffect(() => {
    view.current?.dispatch({
      effects: attributes.current.reconfigure(attributesOf(label)),
    });
  }, [label]);

  // Code, not prose: its names are in every language the catalog has (and no translator should touch it).
  return <div ref={host} className="code-editor" translate="no" />;
}
