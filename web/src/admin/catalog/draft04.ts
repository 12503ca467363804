/**
 * The catalog's JSON Schema in the dialect codemirror-json-schema validates with (json-schema-library's
 * Draft 04): TypeBox writes literals as `const` and bounds as numeric `exclusiveMinimum` (Draft 06+),
 * which Draft 04 ignores — "sometimes" would pass as an activation. Literals become `enum` (one list
 * for a union of them, which completion offers too) and exclusive bounds Draft 04's boolean form.
 */
type Schema = { [keyword: string]: unknown };

export function toDraft04(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDraft04);
  if (node === null || typeof node !== "object") return node;
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toDraft04(v)])) as Schema;
  const branches = schema.anyOf;
  if (Array.isArray(branches) && branches.every((b) => Array.isArray((b as Schema).enum))) {
    const { anyOf: _anyOf, ...rest } = schema;
    return { ...rest, enum: branches.flatMap((b) => (b as Schema).enum as unknown[]) };
  }
  if ("const" in schema) {
    const { const: value, ...rest } = schema;
    return { ...rest, enum: [value] };
  }
  for (const [bound, exclusive] of [
    ["minimum", "exclusiveMinimum"],
    ["maximum", "exclusiveMaximum"],
  ] as const)
    if (typeof schema[exclusive] === "number") {
      schema[bound] = schema[exclusive];
      schema[exclusive] = true;
    }
  return schema;
}
