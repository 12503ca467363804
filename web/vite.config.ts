import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// One bundle for the member centre (/) and the console (/admin); the server serves web/dist.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  logLevel: "warn",
});
