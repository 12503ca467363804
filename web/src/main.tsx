import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AdminApp } from "./admin/AdminApp";
import { I18nProvider } from "./i18n/i18n";
import { MemberApp } from "./member/MemberApp";
import "./styles.css";

const isConsole = window.location.pathname === "/admin" || window.location.pathname.startsWith("/admin/");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>{isConsole ? <AdminApp /> : <MemberApp />}</I18nProvider>
  </StrictMode>,
);
