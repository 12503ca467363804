import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { CatalogDocumentSchema } from "../src/catalog/catalog-schema.js";

const CATALOG_SCHEMA = "virtual:catalog-schema";

/**
 * The server's TypeBox schema of the catalog document as plain JSON, evaluated when the UI is built:
 * the editor gets the very schema the PUT validates with, without shipping TypeBox or what the
 * schema module imports (luxon, for the period anchors). A changed schema needs a new build (or a
 * restart of the dev server).
 */
function catalogSchema(): Plugin {
  const resolved = `\0${CATALOG_SCHEMA}`;
  return {
    name: "perkwise-catalog-schema",
    resolveId: (id) => (id === CATALOG_SCHEMA ? resolved : undefined),
    load: (id) => (id === resolved ? `export default ${JSON.stringify(CatalogDocumentSchema)};` : undefined),
  };
}

// One bundle for the member centre (/) and the console (/admin); the server serves web/dist.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react(), catalogSchema()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // The editor's libraries as chunks of their own: they load in parallel when the editor opens
        // and stay cached across releases of our code. Only the editor imports them.
        codeSplitting: {
          groups: [
            {
              name: "codemirror",
              test: /node_modules[\\/](@codemirror|@lezer|codemirror|crelt|style-mod|w3c-keyname)[\\/]/,
            },
            { name: "yaml", test: /node_modules[\\/]yaml[\\/]/ },
          ],
        },
      },
    },
  },
  logLevel: "warn",
});
