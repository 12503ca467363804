/**
 * The catalog document as the editor's text, JSON or YAML: parsing, converting between the two,
 * the body a PUT sends, and where a JSON pointer the server names (`/tiers/0/plans/0/period`) sits.
 */
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { ensureSyntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { getJsonPointerAt, resolveTokenName } from "codemirror-json-schema";
import { parseDocument, stringify } from "yaml";

export type EditorMode = "json" | "yaml";

export const CONTENT_TYPES: Record<EditorMode, string> = {
  json: "application/json",
  yaml: "application/yaml",
};

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function parseText(text: string, mode: EditorMode): Parsed {
  try {
    const value = mode === "json" ? JSON.parse(text) : yamlValue(text);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      return { ok: false, message: "the document must be an object" };
    return { ok: true, value };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

function yamlValue(text: string): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw document.errors[0];
  return document.toJS();
}

export function documentText(document: unknown, mode: EditorMode): string {
  return mode === "json" ? JSON.stringify(document, null, 2) : stringify(document, { lineWidth: 0 });
}

/**
 * The PUT body: the operator's text as written plus the publishing fields (notice, policy, …). YAML
 * is sent as YAML (the server parses `application/yaml`), the fields set on its document so the
 * operator's layout and comments are what the server reads.
 */
export function putBodyText(text: string, mode: EditorMode, fields: Record<string, unknown>): string {
  if (mode === "json") return JSON.stringify({ ...JSON.parse(text), ...fields });
  const document = parseDocument(text);
  for (const [key, value] of Object.entries(fields)) document.set(key, value);
  return document.toString();
}

export interface Located {
  path: string;
  message: string;
  from: number;
  to: number;
  /** 1-based line of `from`. */
  line: number;
}

interface KeyRange {
  keyFrom: number;
  keyTo: number;
  valueFrom?: number;
  valueTo?: number;
}

/** Every property's JSON pointer with its key's (and value's) range, in document order. */
function pointerRanges(state: EditorState, mode: EditorMode): Map<string, KeyRange> {
  const pointerMode = mode === "json" ? "json4" : "yaml";
  const tree = ensureSyntaxTree(state, state.doc.length, 2000);
  const ranges = new Map<string, KeyRange>();
  tree?.iterate({
    enter: (node) => {
      if (resolveTokenName(node.name, pointerMode) !== "PropertyName") return;
      const pointer = getJsonPointerAt(state.doc, node.node, pointerMode);
      // Key, ':', value.
      let value = node.node.nextSibling;
      while (value && value.name === ":") value = value.nextSibling;
      ranges.set(pointer, {
        keyFrom: node.from,
        keyTo: node.to,
        ...(value ? { valueFrom: value.from, valueTo: value.to } : {}),
      });
    },
  });
  return ranges;
}

/**
 * Where each problem's pointer sits: its key and, when on the same line, its value. A pointer to an
 * array item (`/tiers/1`) is its first key; a pointer to what is missing (`/benefits/0/quota`) is the
 * nearest part that exists. Problems with no place in the text (`/confirm`) are left out.
 */
export function locate(text: string, mode: EditorMode, problems: { path: string; message: string }[]) {
  const state = EditorState.create({ doc: text, extensions: [mode === "json" ? json() : yaml()] });
  const ranges = pointerRanges(state, mode);
  const find = (path: string): KeyRange | null => {
    for (let at = path; at !== ""; at = at.slice(0, at.lastIndexOf("/"))) {
      const exact = ranges.get(at);
      if (exact) return exact;
      for (const [pointer, range] of ranges) if (pointer.startsWith(`${at}/`)) return range;
    }
    return null;
  };
  const located: Located[] = [];
  for (const problem of problems) {
    const range = find(problem.path);
    if (!range) continue;
    const line = state.doc.lineAt(range.keyFrom);
    const to =
      range.valueTo !== undefined && range.valueTo <= line.to
        ? range.valueTo
        : Math.max(range.keyTo, range.keyFrom + 1);
    located.push({ ...problem, from: range.keyFrom, to, line: line.number });
  }
  return located;
}
