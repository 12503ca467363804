import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, createApi } from "../common/api";
import { createTypedClient } from "../common/client";
import { Header, SignIn } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages-en";
import { CatalogHistory } from "./CatalogHistory";
import { Charts } from "./Charts";
import { CatalogEditor } from "./catalog/CatalogEditor";
import { MemberPage } from "./MemberPage";
import { MemberSearch } from "./MemberSearch";
import { Reconciliation } from "./Reconciliation";

const KEY_STORAGE = "perkwise.operatorKey";
const TABS: { id: string; label: MessageKey }[] = [
  { id: "catalog", label: "admin.tabCatalog" },
  { id: "history", label: "admin.tabHistory" },
  { id: "members", label: "admin.tabMembers" },
  { id: "reconcile", label: "admin.tabReconcile" },
  { id: "charts", label: "admin.tabCharts" },
];

/** `#members/demo-vip` → ["members", "demo-vip"]: the tab and, on the members tab, the member. */
function readHash(): [string, string | null] {
  const [tab, ...rest] = window.location.hash.replace(/^#/, "").split("/");
  const known = TABS.some((t) => t.id === tab) ? tab : "catalog";
  return [known, rest.length > 0 ? decodeURIComponent(rest.join("/")) : null];
}

export default function AdminApp() {
  const { t, language } = useI18n();
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_STORAGE));
  const [signInError, setSignInError] = useState<unknown>(null);
  const [[tab, memberId], setRoute] = useState(readHash);
  useEffect(() => {
    const onHash = () => setRoute(readHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const api = useMemo(() => (key ? createApi(key, language) : null), [key, language]);
  const client = useMemo(() => (key ? createTypedClient(key, language) : null), [key, language]);
  const signOut = useCallback((error?: unknown) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setKey(null);
    setSignInError(error ?? null);
  }, []);
  // A wrong key is found out by the first request: back to the sign-in form with the error.
  const onError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) signOut(error);
    },
    [signOut],
  );

  const queries = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            refetchOnWindowFocus: false,
            retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
          },
        },
        queryCache: new QueryCache({ onError }),
      }),
    [onError],
  );

  if (!key || !api || !client) {
    return (
      <SignIn
        brand="admin.brand"
        error={signInError}
        title="admin.signInTitle"
        label="admin.keyLabel"
        hint="admin.keyHint"
        onSignIn={(secret) => {
          sessionStorage.setItem(KEY_STORAGE, secret);
          setKey(secret);
        }}
      />
    );
  }
  const go = (id: string) => {
    window.location.hash = id;
  };
  return (
    <QueryClientProvider client={queries}>
      <Header title={t("admin.brand")} onSignOut={() => signOut()} />
      <nav className="sections" aria-label={t("admin.tabsNav")}>
        {TABS.map((item) => (
          <button
            key={item.id}
            type="button"
            className="tab"
            aria-current={tab === item.id ? "page" : undefined}
            onClick={() => go(item.id)}
          >
            {t(item.label)}
          </button>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {tab === "catalog" && <CatalogEditor client={client} />}
        {tab === "history" && <CatalogHistory api={api} onError={onError} />}
        {tab === "members" &&
          (memberId ? (
            <MemberPage api={api} client={client} apiKey={key} memberId={memberId} />
          ) : (
            <MemberSearch api={api} onError={onError} />
          ))}
        {tab === "reconcile" && <Reconciliation api={api} onError={onError} />}
        {tab === "charts" && <Charts api={api} onError={onError} />}
      </main>
    </QueryClientProvider>
  );
}
