import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { I18nProvider } from "./i18n/i18n";
import { MemberApp } from "./member/MemberApp";
import "./styles.css";

// The console (CodeMirror, YAML, the catalog schema) loads only on /admin: members never download it.
const AdminApp = lazy(() => import("./admin/AdminApp"));
const isConsole = window.location.pathname === "/admin" || window.location.pathname.startsWith("/admin/");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>
      {isConsole ? (
        <Suspense fallback={null}>
          <AdminApp />
        </Suspense>
      ) : (
        <MemberApp />
      )}
    </I18nProvider>
  </StrictMode>,
);
