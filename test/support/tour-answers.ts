/**
 * What a tour in the docs shows after a command, and whether the command's output matches it.
 *
 * An answer is written as a comment under the command: `# → 200 {"allowed": true, …}`, continued on
 * the following comment lines that start with `#` and at least two spaces. Two forms:
 *
 * - **HTTP** — it starts with a status code. The output must be one `curl -i` response (1xx interim
 *   responses skipped) with that status. What follows the status is the body: JSON with elisions
 *   (below) when it starts with `{` or `[`, else text (see the text form); nothing after the status
 *   means the body must be empty. Headers are not compared.
 * - **Text** — anything else: the whole output, with trailing white space removed, must equal it,
 *   where each `…` stands for any run of characters (none included).
 *
 * JSON with elisions is JSON plus `…`, compared by value (key order does not matter):
 * - `…` as an object member (`{"a": 1, …}`): the object may have other keys; without it, exactly the
 *   keys shown;
 * - `…` as the last array element (`[{"code": "GRANTED"}, …]`): more elements may follow; without
 *   it, exactly the elements shown, in order; `[…]` is any array;
 * - `…` as a value (`"since": …`): any value;
 * - `…` inside a string (`"ord_…"`): any characters there; the rest of the string must be equal;
 * - numbers, booleans, null and strings without `…`: equal.
 */

const ELLIPSIS = "…";

type Pattern =
  | { kind: "any" }
  | { kind: "literal"; value: null | boolean | number | string }
  | { kind: "string"; pattern: RegExp; source: string }
  | { kind: "array"; items: Pattern[]; open: boolean }
  | { kind: "object"; members: Map<string, Pattern>; open: boolean };

/** Parses JSON with elisions; throws with the offset of the first thing that is neither. */
export function parseElidedJson(text: string): Pattern {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${at} of ${JSON.stringify(text)}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const isEllipsis = () => {
    space();
    if (text.startsWith(ELLIPSIS, at)) {
      at += ELLIPSIS.length;
      return true;
    }
    return false;
  };
  const expect = (char: string) => {
    space();
    if (text[at] !== char) fail(`expected ${char}`);
    at++;
  };
  const rawString = (): string => {
    space();
    const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
    if (!match) return fail("expected a string");
    at += match[0].length;
    return JSON.parse(match[0]) as string;
  };
  const value = (): Pattern => {
    if (isEllipsis()) return { kind: "any" };
    space();
    const char = text[at];
    if (char === "{") return object();
    if (char === "[") return array();
    if (char === '"') {
      const source = rawString();
      if (!source.includes(ELLIPSIS)) return { kind: "literal", value: source };
      const parts = source.split(ELLIPSIS).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      return { kind: "string", pattern: new RegExp(`^${parts.join("[\\s\\S]*")}$`), source };
    }
    const match = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (!match) return fail("expected a JSON value or …");
    at += match[0].length;
    return { kind: "literal", value: JSON.parse(match[0]) as null | boolean | number };
  };
  const object = (): Pattern => {
    expect("{");
    const members = new Map<string, Pattern>();
    let open = false;
    space();
    if (text[at] === "}") {
      at++;
      return { kind: "object", members, open };
    }
    for (;;) {
      if (isEllipsis()) open = true;
      else {
        const key = rawString();
        expect(":");
        members.set(key, value());
      }
      space();
      if (text[at] === "}") {
        at++;
        return { kind: "object", members, open };
      }
      expect(",");
    }
  };
  const array = (): Pattern => {
    expect("[");
    const items: Pattern[] = [];
    space();
    if (text[at] === "]") {
      at++;
      return { kind: "array", items, open: false };
    }
    for (;;) {
      if (isEllipsis()) {
        expect("]");
        return { kind: "array", items, open: true };
      }
      items.push(value());
      space();
      if (text[at] === "]") {
        at++;
        return { kind: "array", items, open: false };
      }
      expect(",");
    }
  };
  const pattern = value();
  space();
  if (at !== text.length) fail("unexpected text after the JSON value");
  return pattern;
}

/** Every difference between `actual` and the pattern, as "path: expected …, got …" lines. */
export function jsonDifferences(pattern: Pattern, actual: unknown, path = ""): string[] {
  const here = path || "/";
  const got = JSON.stringify(actual);
  switch (pattern.kind) {
    case "any":
      return [];
    case "literal":
      return Object.is(pattern.value, actual)
        ? []
        : [`${here}: expected ${JSON.stringify(pattern.value)}, got ${got}`];
    case "string":
      return typeof actual === "string" && pattern.pattern.test(actual)
        ? []
        : [`${here}: expected ${JSON.stringify(pattern.source)}, got ${got}`];
    case "array": {
      if (!Array.isArray(actual)) return [`${here}: expected an array, got ${got}`];
      const lengthOk = pattern.open
        ? actual.length >= pattern.items.length
        : actual.length === pattern.items.length;
      const problems = lengthOk
        ? []
        : [
            `${here}: expected ${pattern.open ? "at least " : ""}${pattern.items.length} elements, got ${actual.length}`,
          ];
      pattern.items.forEach((item, index) => {
        if (index < actual.length) problems.push(...jsonDifferences(item, actual[index], `${path}/${index}`));
      });
      return problems;
    }
    case "object": {
      if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
        return [`${here}: expected an object, got ${got}`];
      }
      const record = actual as Record<string, unknown>;
      const problems: string[] = [];
      for (const [key, item] of pattern.members) {
        if (!(key in record)) problems.push(`${path}/${key}: missing`);
        else problems.push(...jsonDifferences(item, record[key], `${path}/${key}`));
      }
      if (!pattern.open) {
        const extra = Object.keys(record).filter((key) => !pattern.members.has(key));
        if (extra.length > 0)
          problems.push(`${here}: unexpected keys ${extra.join(", ")} (add … to allow more)`);
      }
      return problems;
    }
  }
}

/** Whether `actual` equals `expected` where each … in `expected` stands for any characters. */
export function textMatches(expected: string, actual: string): boolean {
  const parts = expected.split(ELLIPSIS).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*")}$`).test(actual);
}

/** The status and body of one `curl -i` output, interim 1xx responses skipped. */
export function parseCurlResponse(output: string): { status: number; body: string } | null {
  let rest = output;
  for (;;) {
    const match = /^HTTP\/[\d.]+ (\d{3})[^\n]*\n(?:[^\r\n][^\n]*\n)*\r?\n/.exec(rest);
    if (!match) return null;
    const status = Number(match[1]);
    rest = rest.slice(match[0].length);
    if (status >= 200) return { status, body: rest };
  }
}

/** Every way `output` differs from the answer the docs show for it; empty when it matches. */
export function answerDifferences(expected: string, output: string): string[] {
  const actual = output.replace(/\s+$/, "");
  const http = /^(\d{3})(?:\s+([\s\S]*))?$/.exec(expected.trim());
  if (!http) {
    return textMatches(expected.trim(), actual) ? [] : [`expected output ${JSON.stringify(expected.trim())}`];
  }
  const response = parseCurlResponse(output);
  if (!response) return [`expected a curl -i response with status ${http[1]}`];
  const problems =
    response.status === Number(http[1]) ? [] : [`expected status ${http[1]}, got ${response.status}`];
  const shownBody = http[2]?.trim() ?? "";
  const body = response.body.trim();
  if (shownBody === "") {
    if (body !== "") problems.push("expected an empty body (show it, or elide it with {…})");
  } else if (shownBody.startsWith("{") || shownBody.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [...problems, "expected a JSON body"];
    }
    problems.push(...jsonDifferences(parseElidedJson(shownBody), parsed));
  } else if (!textMatches(shownBody, body)) {
    problems.push(`expected the body ${JSON.stringify(shownBody)}`);
  }
  return problems;
}
