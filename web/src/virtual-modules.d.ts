/** The catalog document's JSON Schema, from the server's TypeBox schema at build time (web/vite.config.ts). */
declare module "virtual:catalog-schema" {
  const schema: Record<string, unknown>;
  export default schema;
}
